// The API module against a fake server: paths, query strings, headers, bodies, decoding of
// errors, the progress stream and uploads.
import { describe, expect, it } from 'vitest';
import { ApiError, createApi, errorFrom, queryString, type UploadRequest } from '../../src/api';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

// A fake server: routes "METHOD /path" to a handler; records every request.
function fakeServer(routes: Record<string, (seen: Seen) => Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const request: Seen = {
      url,
      method: init.method ?? 'GET',
      headers: (init.headers ?? {}) as Record<string, string>,
      body: (init.body as string | undefined) ?? null,
    };
    seen.push(request);
    const key = `${request.method} ${url.split('?')[0]}`;
    const handler = routes[key];
    if (!handler) return json({ error: { code: 'not_found', message: `no route ${key}` } }, 404);
    return handler(request);
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('the API module', () => {
  it('reads the summary and lists under /api/v1', async () => {
    const server = fakeServer({
      'GET /api/v1/dashboard/summary': () => json({ customers_scored: 12, active_model: null }),
      'GET /api/v1/models': () => json({ models: [{ id: 1, version: 1 }] }),
      'GET /api/v1/datasets': () => json({ datasets: [] }),
    });
    const api = createApi({ fetch: server.fetch, token: () => null });
    expect((await api.summary()).customers_scored).toBe(12);
    expect(await api.models()).toEqual([{ id: 1, version: 1 }]);
    expect(await api.datasets()).toEqual([]);
    expect(server.seen[0].headers.Accept).toBe('application/json');
    expect(server.seen[0].headers.Authorization).toBeUndefined();
  });

  it('builds the customer query with filters, paging and the segment', async () => {
    const server = fakeServer({
      'GET /api/v1/customers': () => json({ total: 0, limit: 25, offset: 50, customers: [] }),
    });
    const api = createApi({ fetch: server.fetch, token: () => null });
    await api.customers({
      tier: 'high',
      q: 'a b',
      sort: '-churn_probability',
      limit: 25,
      offset: 50,
      segment: 'Contract',
      segmentValue: 'One year',
    });
    const url = new URL(server.seen[0].url, 'http://x');
    expect(url.pathname).toBe('/api/v1/customers');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tier: 'high',
      q: 'a b',
      sort: '-churn_probability',
      limit: '25',
      offset: '50',
      segment: 'Contract',
      segment_value: 'One year',
    });
    await api.customers({ tier: '', segmentValue: 'ignored without a segment' });
    expect(server.seen[1].url).toBe('/api/v1/customers');
  });

  it('escapes customer ids in paths', async () => {
    const server = fakeServer({
      'GET /api/v1/customers/A%2FB%20C': () => json({ customer_id: 'A/B C' }),
    });
    const api = createApi({ fetch: server.fetch, token: () => null });
    expect((await api.customer('A/B C')).customer_id).toBe('A/B C');
  });

  it('sends JSON bodies and the bearer token when one is stored', async () => {
    const server = fakeServer({
      'POST /api/v1/predict': (r) =>
        json({
          churn_probability: 0.7,
          risk_tier: 'high',
          model_version: 2,
          echo: JSON.parse(r.body!),
        }),
      'POST /api/v1/models/3/activate': () => json({ id: 3, active: true }),
      'DELETE /api/v1/models/4': () => new Response(null, { status: 204 }),
    });
    const api = createApi({ fetch: server.fetch, token: () => 'secret' });
    const p = await api.predict({ tenure: 3, contract: 'Month-to-month' });
    expect(p.churn_probability).toBe(0.7);
    expect(server.seen[0].headers['Content-Type']).toBe('application/json');
    expect(server.seen[0].headers.Authorization).toBe('Bearer secret');
    expect(JSON.parse(server.seen[0].body!)).toEqual({ tenure: 3, contract: 'Month-to-month' });
    expect((await api.activateModel(3)).active).toBe(true);
    expect(await api.deleteModel(4)).toBeUndefined();
  });

  it('posts a what-if with the customer and the changes, and can be cancelled', async () => {
    const server = fakeServer({
      'POST /api/v1/what-if': (r) => json({ churn_probability: 0.2, echo: JSON.parse(r.body!) }),
    });
    const seenSignals: (AbortSignal | undefined)[] = [];
    const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      seenSignals.push(init.signal ?? undefined);
      if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
      return server.fetch(input, init);
    }) as typeof globalThis.fetch;
    const api = createApi({ fetch, token: () => null });
    const answer = (await api.whatIf(
      { contract: 'Month-to-month', tenure: 2 },
      { contract: 'Two year' },
    )) as unknown as { echo: unknown };
    expect(answer.echo).toEqual({
      customer: { contract: 'Month-to-month', tenure: 2 },
      changes: { contract: 'Two year' },
    });
    const controller = new AbortController();
    controller.abort();
    // A cancelled request rejects with the abort itself, not as "cannot reach the server".
    await expect(api.whatIf({}, {}, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(seenSignals[1]).toBe(controller.signal);
  });

  it('turns error bodies into ApiError with code, message and field', async () => {
    const server = fakeServer({
      'POST /api/v1/training-jobs': () =>
        json(
          {
            error: {
              code: 'invalid_field',
              message: 'folds must be an integer from 2 to 20',
              field: 'folds',
            },
          },
          400,
        ),
      'GET /api/v1/models/9': () =>
        new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    const api = createApi({ fetch: server.fetch, token: () => null });
    const error = await api
      .startTraining({ dataset_id: 1, target: 'Churn', folds: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_field',
      field: 'folds',
      message: 'folds must be an integer from 2 to 20',
    });
    const gateway = await api.model(9).catch((e) => e);
    expect(gateway).toMatchObject({
      status: 502,
      code: 'http_error',
      message: 'The server answered 502 Bad Gateway',
    });
    // Unknown routes come back as the server's 404 message.
    await expect(api.dataset(77)).rejects.toMatchObject({
      status: 404,
      message: 'no route GET /api/v1/datasets/77',
    });
  });

  it('reports an unreachable server in words', async () => {
    const api = createApi({
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
      token: () => null,
    });
    await expect(api.summary()).rejects.toMatchObject({
      status: 0,
      code: 'network',
      message: expect.stringContaining('Cannot reach the SmartChurn server'),
    });
  });

  it('follows a training job over server-sent events until "done"', async () => {
    const job = (progress: number, status: string) => ({
      id: 5,
      status,
      progress,
      step: status === 'running' ? 'fold 1' : 'done',
    });
    const chunks = [
      `event: progress\ndata: ${JSON.stringify(job(0.2, 'running'))}\n\n`,
      `event: progress\r\ndata: ${JSON.stringify(job(0.6, 'running'))}`,
      '\r\n\r\n: keep-alive comment\n\n',
      `event: done\ndata: ${JSON.stringify(job(1, 'succeeded'))}\n\n`,
    ];
    const server = fakeServer({
      'GET /api/v1/training-jobs/5/events': () =>
        new Response(
          new ReadableStream({
            start(controller) {
              for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
              controller.close();
            },
          }),
          { headers: { 'Content-Type': 'text/event-stream' } },
        ),
    });
    const api = createApi({ fetch: server.fetch, token: () => null });
    const progress: number[] = [];
    const final = await api.followJob(5, (j) => progress.push(j.progress));
    expect(progress).toEqual([0.2, 0.6, 1]);
    expect(final.status).toBe('succeeded');
    expect(server.seen[0].headers.Accept).toBe('text/event-stream');
  });

  it('asks for the job when the stream ends without "done"', async () => {
    const server = fakeServer({
      'GET /api/v1/training-jobs/6/events': () =>
        new Response('event: progress\ndata: {"id":6,"progress":0.5,"status":"running"}\n\n'),
      'GET /api/v1/training-jobs/6': () => json({ id: 6, status: 'failed', error: 'disk full' }),
    });
    const api = createApi({ fetch: server.fetch, token: () => null });
    const final = await api.followJob(6, () => undefined);
    expect(final).toMatchObject({ status: 'failed', error: 'disk full' });
  });

  it('uploads files with progress and decodes the answer or the error', async () => {
    const requests: UploadRequest[] = [];
    let answer = { status: 201, text: JSON.stringify({ id: 2, name: 'telco.csv', rows: 7043 }) };
    const api = createApi({
      fetch: (async () => json({})) as typeof fetch,
      token: () => 't',
      upload: async (request) => {
        requests.push(request);
        request.onProgress?.(0.5);
        request.onProgress?.(1);
        return answer;
      },
    });
    const fractions: number[] = [];
    const dataset = await api.uploadDataset(new Blob(['a,b\n1,2\n']), 'telco.csv', (f) =>
      fractions.push(f),
    );
    expect(dataset).toMatchObject({ id: 2, rows: 7043 });
    expect(fractions).toEqual([0.5, 1]);
    expect(requests[0]).toMatchObject({ url: '/api/v1/datasets', fileName: 'telco.csv' });
    expect(requests[0].headers.Authorization).toBe('Bearer t');

    answer = {
      status: 422,
      text: JSON.stringify({
        error: { code: 'bad_data', message: 'telco.csv:3: line 3 has 2 fields, the header has 3' },
      }),
    };
    await expect(api.predictBatch(new Blob(['x']), 'telco.csv')).rejects.toMatchObject({
      status: 422,
      message: 'telco.csv:3: line 3 has 2 fields, the header has 3',
    });
    expect(requests[1].url).toBe('/api/v1/predict/batch');
  });

  it('fetches a batch job result as text', async () => {
    const server = fakeServer({
      'GET /api/v1/predict/batch/4/result': () =>
        new Response('id,churn_probability,risk_tier\nA,0.5,medium\n'),
    });
    const api = createApi({ fetch: server.fetch, token: () => null });
    expect(await api.batchResult(4)).toContain('churn_probability');
    expect(server.seen[0].headers.Accept).toBe('text/csv');
  });
});

describe('helpers', () => {
  it('writes query strings without empty values', () => {
    expect(queryString({ a: 1, b: '', c: null, d: undefined, e: 'x y' })).toBe('?a=1&e=x+y');
    expect(queryString({})).toBe('');
  });

  it('decodes errors of any shape', () => {
    expect(
      errorFrom(404, '{"error":{"code":"not_found","message":"model 3 does not exist"}}').message,
    ).toBe('model 3 does not exist');
    expect(errorFrom(500, 'oops').message).toBe('The server answered 500 unexpected answer');
    expect(errorFrom(413, '{"error":{"message":"too large","field":""}}').field).toBeUndefined();
  });
});
