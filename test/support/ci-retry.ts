/**
 * On CI, a test that fails is run once more, with the first failure printed: the integration
 * and browser tests share two cores, and a bound that a loaded machine overruns (a browser
 * wait, a job finishing) must not fail the whole run. A real failure fails both times.
 */
if (process.env.CI) jest.retryTimes(1, { logErrorsBeforeRetry: true });
