/** One instant query's value, or why there is none (the guard is then inconclusive). */
export type PrometheusValue = { ok: true; value: number } | { ok: false; note: string };

/**
 * An instant query against the Prometheus at `baseUrl` (FLAGPOLE_PROMETHEUS_URL, set by the
 * operator: the only address these queries go to). The query must give one number: a scalar or
 * a vector of one series. Anything else, a timeout or an error is an answer without a value.
 */
export async function queryPrometheus(
  baseUrl: string | null,
  query: string,
  timeoutMs = 3000,
): Promise<PrometheusValue> {
  if (!baseUrl) return { ok: false, note: 'FLAGPOLE_PROMETHEUS_URL is not set' };
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  let body: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    body = (await res.json()) as typeof body;
    if (!res.ok || body.status !== 'success')
      return { ok: false, note: `Prometheus answered ${res.status}: ${String(body.error ?? 'error').slice(0, 200)}` };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return {
      ok: false,
      note: timedOut ? `Prometheus did not answer within ${timeoutMs} ms` : 'Prometheus could not be reached',
    };
  }
  const { resultType, result } = body.data ?? {};
  let raw: unknown;
  if (resultType === 'scalar') raw = (result as [number, string])[1];
  else if (resultType === 'vector') {
    const series = result as Array<{ value: [number, string] }>;
    if (series.length === 0) return { ok: false, note: 'the query returned no series' };
    if (series.length > 1)
      return { ok: false, note: `the query returned ${series.length} series; it must return one (use sum or max)` };
    raw = series[0].value[1];
  } else
    return { ok: false, note: `the query returned a ${resultType ?? 'unknown'} result; it must return one number` };
  const value = Number(raw);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, note: `the query's value is ${String(raw)}` };
}
