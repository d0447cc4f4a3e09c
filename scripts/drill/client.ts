/**
 * The drill's HTTP client: every attempt is recorded (when it started and ended, how it
 * ended), so each fault's window can be judged afterwards. A request that does not answer
 * within `hangMs` is abandoned and counted as a hang.
 */

export type Kind = 'write' | 'eval' | 'setup';
export type Outcome = number | 'network' | 'hang';

export interface Attempt {
  kind: Kind;
  start: number;
  end: number;
  outcome: Outcome;
  /** `error.code` of an error body (e.g. UNAVAILABLE), or OFREP's `errorCode`, when there was one. */
  code?: string;
}

export interface Answer {
  outcome: Outcome;
  body?: unknown;
  code?: string;
}

type ErrorBody = { error?: { code?: string; details?: Array<{ currentState?: string }> }; errorCode?: string };

export class DrillClient {
  readonly attempts: Attempt[] = [];

  constructor(
    readonly baseUrl: string,
    private readonly hangMs: number,
    private readonly headers: Record<string, string> = {},
  ) {}

  withHeaders(headers: Record<string, string>): DrillClient {
    const client = new DrillClient(this.baseUrl, this.hangMs, { ...this.headers, ...headers });
    // one record for everything the drill sends
    (client as { attempts: Attempt[] }).attempts = this.attempts;
    return client;
  }

  async send(
    kind: Kind,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const start = Date.now();
    let answer: Answer;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...this.headers, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.hangMs),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      answer = {
        outcome: res.status,
        body: parsed,
        code: (parsed as ErrorBody | undefined)?.error?.code ?? (parsed as ErrorBody | undefined)?.errorCode,
      };
    } catch (err) {
      const name = (err as Error).name;
      answer = { outcome: name === 'TimeoutError' || name === 'AbortError' ? 'hang' : 'network' };
    }
    this.attempts.push({ kind, start, end: Date.now(), outcome: answer.outcome, code: answer.code });
    return answer;
  }

  /**
   * A write with an Idempotency-Key, retried with the SAME key on a network error, a hang, a
   * 5xx or a 409 "still in progress" (the claim of an attempt whose api was killed), for at
   * most `budgetMs`. Returns the final answer: a 2xx is an acknowledged write.
   */
  async write(
    method: string,
    path: string,
    body: unknown,
    key: string,
    budgetMs: number,
  ): Promise<Answer & { tries: number }> {
    const deadline = Date.now() + budgetMs;
    let pause = 100;
    for (let tries = 1; ; tries++) {
      const answer = await this.send('write', method, path, body, { 'idempotency-key': key });
      const inFlight =
        answer.outcome === 409 && (answer.body as ErrorBody)?.error?.details?.[0]?.currentState === 'in_flight';
      const retry = typeof answer.outcome !== 'number' || answer.outcome >= 500 || inFlight;
      if (!retry || Date.now() + pause > deadline) return { ...answer, tries };
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 1000);
    }
  }
}

export const ok = (a: Answer): boolean => typeof a.outcome === 'number' && a.outcome >= 200 && a.outcome < 300;
