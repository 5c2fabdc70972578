// Every call the dashboard makes to `smartchurn serve` goes through this module: one place for the
// base path, the optional API token, error decoding and upload progress.
import { SseParser } from './sse';
import type {
  BatchJob,
  BatchResult,
  CustomerDetail,
  CustomerPage,
  DashboardSummary,
  Dataset,
  ModelDetail,
  ModelSummary,
  Prediction,
  Profile,
  Tier,
  TrainingJob,
  TrainingRequest,
  WhatIfResult,
} from './types';

export const API_BASE = '/api/v1';
const TOKEN_KEY = 'smartchurn.token';

// An error from the server ({"error": {code, message, field}}) or from the network (status 0).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface UploadRequest {
  url: string;
  file: Blob;
  fileName: string;
  headers: Record<string, string>;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}
export interface UploadResponse {
  status: number;
  text: string;
}
export type Uploader = (request: UploadRequest) => Promise<UploadResponse>;

export interface CustomerQuery {
  tier?: Tier | '';
  q?: string;
  sort?: string;
  limit?: number;
  offset?: number;
  segment?: string;
  segmentValue?: string;
}

export interface ApiOptions {
  fetch?: typeof fetch;
  upload?: Uploader;
  base?: string;
  token?: () => string | null;
}

export type Api = ReturnType<typeof createApi>;

// The token for servers started with --tokens, kept in this browser only.
export function storedToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}
export function storeToken(token: string | null): void {
  if (token) globalThis.localStorage?.setItem(TOKEN_KEY, token);
  else globalThis.localStorage?.removeItem(TOKEN_KEY);
}

// The error a non-2xx answer carries; bodies that are not our JSON still give a readable message.
export function errorFrom(status: number, body: string, statusText = ''): ApiError {
  try {
    const parsed = JSON.parse(body) as {
      error?: { code?: string; message?: string; field?: string };
    };
    if (parsed && parsed.error && typeof parsed.error.message === 'string') {
      return new ApiError(
        status,
        parsed.error.code ?? 'error',
        parsed.error.message,
        parsed.error.field || undefined,
      );
    }
  } catch {
    // not JSON: fall through
  }
  const reason = statusText || (status === 0 ? 'no answer' : 'unexpected answer');
  return new ApiError(status, 'http_error', `The server answered ${status} ${reason}`.trim());
}

export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createApi(options: ApiOptions = {}) {
  const base = options.base ?? API_BASE;
  const doFetch =
    options.fetch ??
    ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const upload = options.upload ?? xhrUpload;
  const token = options.token ?? storedToken;

  function headers(extra: Record<string, string> = {}): Record<string, string> {
    const t = token();
    return t ? { ...extra, Authorization: `Bearer ${t}` } : extra;
  }

  async function send(
    method: string,
    path: string,
    body?: unknown,
    accept = 'application/json',
    signal?: AbortSignal,
  ): Promise<Response> {
    const init: RequestInit = { method, headers: headers({ Accept: accept }), signal };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await doFetch(base + path, init);
    } catch (error) {
      if (signal?.aborted) throw error; // cancelled on purpose: the caller ignores it
      throw new ApiError(
        0,
        'network',
        `Cannot reach the SmartChurn server (${(error as Error).message || 'network error'}). Is it running?`,
      );
    }
    if (!response.ok) throw errorFrom(response.status, await response.text(), response.statusText);
    return response;
  }

  async function json<T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await send(method, path, body, 'application/json', signal);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async function uploadFile(
    path: string,
    file: Blob,
    fileName: string,
    onProgress?: (f: number) => void,
    signal?: AbortSignal,
  ): Promise<UploadResponse> {
    let answer: UploadResponse;
    try {
      answer = await upload({
        url: base + path,
        file,
        fileName,
        headers: headers({ Accept: 'application/json' }),
        onProgress,
        signal,
      });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(
        0,
        'network',
        `The upload did not reach the server (${(error as Error).message || 'network error'}).`,
      );
    }
    if (answer.status < 200 || answer.status >= 300) throw errorFrom(answer.status, answer.text);
    return answer;
  }

  return {
    summary: () => json<DashboardSummary>('GET', '/dashboard/summary'),
    ready: () => json<{ status: string; model_version?: number }>('GET', '/health/ready'),

    customers: (q: CustomerQuery = {}) =>
      json<CustomerPage>(
        'GET',
        `/customers${queryString({
          tier: q.tier,
          q: q.q,
          sort: q.sort,
          limit: q.limit,
          offset: q.offset,
          segment: q.segment,
          segment_value: q.segment ? q.segmentValue : undefined,
        })}`,
      ),
    customer: (id: string) => json<CustomerDetail>('GET', `/customers/${encodeURIComponent(id)}`),

    datasets: async () => (await json<{ datasets: Dataset[] }>('GET', '/datasets')).datasets,
    dataset: (id: number) => json<Dataset>('GET', `/datasets/${id}`),
    datasetProfile: (id: number, target?: string, positiveLabel?: string) =>
      json<Profile>(
        'GET',
        `/datasets/${id}/profile${queryString({ target, positive_label: target ? positiveLabel : undefined })}`,
      ),
    deleteDataset: (id: number) => json<void>('DELETE', `/datasets/${id}`),
    uploadDataset: async (
      file: Blob,
      fileName: string,
      onProgress?: (f: number) => void,
      signal?: AbortSignal,
    ) =>
      JSON.parse(
        (await uploadFile('/datasets', file, fileName, onProgress, signal)).text,
      ) as Dataset,

    startTraining: (request: TrainingRequest) =>
      json<TrainingJob>('POST', '/training-jobs', request),
    job: (id: number) => json<TrainingJob>('GET', `/training-jobs/${id}`),
    cancelJob: (id: number) => json<TrainingJob>('DELETE', `/training-jobs/${id}`),
    // Calls onEvent for each progress event and resolves with the final job ("done" event).
    followJob: async (
      id: number,
      onEvent: (job: TrainingJob) => void,
      signal?: AbortSignal,
    ): Promise<TrainingJob> => {
      let response: Response;
      try {
        response = await doFetch(`${base}/training-jobs/${id}/events`, {
          headers: headers({ Accept: 'text/event-stream' }),
          signal,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ApiError(0, 'network', 'Lost the connection to the server while training.');
      }
      if (!response.ok)
        throw errorFrom(response.status, await response.text(), response.statusText);
      let final: TrainingJob | null = null;
      const parser = new SseParser((event) => {
        const job = JSON.parse(event.data) as TrainingJob;
        onEvent(job);
        if (event.event === 'done') final = job;
      });
      if (!response.body) throw new ApiError(0, 'network', 'The server sent no progress stream.');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      while (final === null) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      await reader.cancel().catch(() => undefined);
      // The stream ended without "done" (server restart, proxy): ask for the job's state once.
      return final ?? (await json<TrainingJob>('GET', `/training-jobs/${id}`));
    },

    models: async () => (await json<{ models: ModelSummary[] }>('GET', '/models')).models,
    model: (id: number) => json<ModelDetail>('GET', `/models/${id}`),
    activateModel: (id: number) => json<ModelSummary>('POST', `/models/${id}/activate`),
    deleteModel: (id: number) => json<void>('DELETE', `/models/${id}`),

    predict: (customer: Record<string, unknown>) => json<Prediction>('POST', '/predict', customer),
    // The customer with `changes` applied: new probability, tier, reasons and action beside the old.
    whatIf: (
      customer: Record<string, unknown>,
      changes: Record<string, unknown>,
      signal?: AbortSignal,
    ) => json<WhatIfResult>('POST', '/what-if', { customer, changes }, signal),
    // A small file is scored at once (BatchResult); a large one becomes a job to poll (BatchJob).
    predictBatch: async (
      file: Blob,
      fileName: string,
      onProgress?: (f: number) => void,
      signal?: AbortSignal,
    ): Promise<BatchResult | BatchJob> => {
      const answer = await uploadFile('/predict/batch', file, fileName, onProgress, signal);
      return JSON.parse(answer.text) as BatchResult | BatchJob;
    },
    batchJob: (id: number) => json<BatchJob>('GET', `/predict/batch/${id}`),
    batchResult: async (id: number) =>
      (await send('GET', `/predict/batch/${id}/result`, undefined, 'text/csv')).text(),
  };
}

// Multipart upload with progress events (fetch cannot report upload progress).
export const xhrUpload: Uploader = (request) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && request.onProgress)
        request.onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new Error('network error'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    request.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', request.file, request.fileName);
    xhr.send(form);
  });

export const api = createApi();
