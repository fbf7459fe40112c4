// A local stand-in for the GitHub REST API (as GitHub Enterprise serves it, under /api/v3) on
// 127.0.0.1. Every request is checked against GitHub's OpenAPI description first; a mismatch is
// recorded in `violations` (tests assert it stays empty) and answered 400/422 so the bot sees it.
// Then authentication, canned faults, conditional requests (ETag/304) and the endpoint itself.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest } from './openapi.ts';
import { handle, type HandlerResult } from './handlers.ts';
import { verifyAppJwt } from './jwt.ts';
import type { FakePull, FakeRepo, FakeReview, FakeReviewComment, Fault, SeenRequest } from './model.ts';

export const API_PREFIX = '/api/v3';

export interface GithubFakeOptions {
  /** Tokens accepted as `Authorization: token X` / `Bearer X`. */
  tokens?: string[];
  /** GitHub App whose JWTs are accepted for installation tokens. */
  app?: { id: number; publicKey: KeyObject; installationId: number };
  /** Login the posted reviews are attributed to. */
  botLogin?: string;
}

export interface FakeState {
  repos: Map<string, FakeRepo>;
  reviews: FakeReview[];
  comments: FakeReviewComment[];
  nextId: () => number;
  botLogin: string;
  baseUrl: string;
}

export class GithubFake {
  readonly violations: string[] = [];
  readonly requests: SeenRequest[] = [];
  readonly state: FakeState;
  private readonly faults: Fault[] = [];
  private readonly tokens: Set<string>;
  private readonly installationTokens = new Set<string>();
  private server: Server | undefined;
  private idCounter = 1000;

  constructor(private readonly opts: GithubFakeOptions = {}) {
    this.tokens = new Set(opts.tokens ?? ['test-token']);
    this.state = {
      repos: new Map(),
      reviews: [],
      comments: [],
      nextId: () => ++this.idCounter,
      botLogin: opts.botLogin ?? 'deptbot[bot]',
      baseUrl: '',
    };
  }

  /** The API URL to pass as --api-url. */
  get url(): string {
    return this.state.baseUrl;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.onRequest(req, res).catch((err: unknown) => {
        this.violations.push(`fake crashed: ${err instanceof Error ? err.stack : String(err)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.state.baseUrl = `http://127.0.0.1:${port}${API_PREFIX}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addPull(owner: string, name: string, pull: FakePull): void {
    const key = `${owner}/${name}`;
    const repo = this.state.repos.get(key) ?? { owner, name, pulls: new Map() };
    repo.pulls.set(pull.number, pull);
    this.state.repos.set(key, repo);
  }

  pull(owner: string, name: string, number: number): FakePull {
    const pull = this.state.repos.get(`${owner}/${name}`)?.pulls.get(number);
    if (!pull) throw new Error(`no pull ${owner}/${name}#${number}`);
    return pull;
  }

  /** Answers the next `times` requests of `operation` with a canned response. */
  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** A primary rate limit: 403 with x-ratelimit-remaining 0 and a reset `seconds` from now. */
  primaryRateLimit(operation: string, seconds: number): void {
    this.inject({
      operation,
      status: 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + seconds),
      },
      body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
    });
  }

  /** A secondary rate limit with retry-after, as 429 (or 403, which GitHub also uses). */
  secondaryRateLimit(operation: string, retryAfter: number, status: 403 | 429 = 429): void {
    this.inject({
      operation,
      status,
      headers: { 'retry-after': String(retryAfter) },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
    });
  }

  /** Requests of one operation, e.g. "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews". */
  seen(operation: string): SeenRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const seen: SeenRequest = { method, path: url.pathname, status: 0, headers: req.headers };
    this.requests.push(seen);
    const send = (status: number, headers: Record<string, string>, payload: string): void => {
      seen.status = status;
      res.writeHead(status, { 'x-github-media-type': 'github.v3; format=json', ...headers });
      res.end(payload);
    };
    const sendJson = (status: number, data: unknown, headers: Record<string, string> = {}): void =>
      send(status, { 'content-type': 'application/json; charset=utf-8', ...headers }, data === undefined ? '' : JSON.stringify(data));

    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      this.violations.push(`${method} ${url.pathname}: outside ${API_PREFIX} (is --api-url honoured?)`);
      sendJson(404, { message: 'Not Found' });
      return;
    }
    const path = url.pathname.slice(API_PREFIX.length);
    const check = checkRequest({ method, path, query: url.searchParams, body, contentType: req.headers['content-type'] });
    seen.operation = check.operation;
    seen.json = check.json;
    if (!check.ok) {
      this.violations.push(...check.problems);
      const bodyProblem = check.problems.some((p) => /: body/.test(p));
      sendJson(bodyProblem ? 422 : 400, { message: bodyProblem ? 'Invalid request.' : 'Bad request', errors: check.problems });
      return;
    }
    const operation = check.operation ?? '';

    const authProblem = this.authenticate(operation, req.headers.authorization, check.params);
    if (authProblem) {
      sendJson(401, { message: 'Bad credentials', detail: authProblem });
      return;
    }

    const fault = this.faults.find((f) => f.operation === operation && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      sendJson(fault.status, fault.body, fault.headers);
      return;
    }

    if (operation === 'POST /app/installations/{installation_id}/access_tokens') {
      const token = `ghs_${randomBytes(12).toString('hex')}`;
      this.installationTokens.add(token);
      sendJson(201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { pull_requests: 'write' } });
      return;
    }

    const result: HandlerResult = handle(this.state, {
      operation,
      params: check.params,
      query: url.searchParams,
      json: check.json,
      accept: req.headers.accept ?? '',
      pathWithQuery: `${path}${url.search}`,
    });
    if (result.status === 501) this.violations.push(`${operation}: not implemented by the fake`);
    if (method === 'GET' && result.status === 200) {
      const etag = `"${createHash('sha1').update(result.text ?? JSON.stringify(result.data)).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        send(304, { etag }, '');
        return;
      }
      result.headers = { ...result.headers, etag };
    }
    const headers = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', ...result.headers };
    if (result.text !== undefined) send(result.status, { 'content-type': 'text/plain; charset=utf-8', ...headers }, result.text);
    else sendJson(result.status, result.data, headers);
  }

  /** Returns why the request is not authenticated, or null. */
  private authenticate(operation: string, header: string | undefined, params: Record<string, string>): string | null {
    const m = /^(?:token|bearer) (\S+)$/i.exec(header ?? '');
    if (!m?.[1]) return 'no Authorization header';
    const credential = m[1];
    if (operation.startsWith('POST /app/installations/')) {
      const app = this.opts.app;
      if (!app) return 'no GitHub App configured';
      if (Number(params.installation_id) !== app.installationId) return 'unknown installation';
      return verifyAppJwt(credential, app.publicKey, app.id);
    }
    if (this.tokens.has(credential) || this.installationTokens.has(credential)) return null;
    return 'unknown token';
  }
}

export async function startGithubFake(opts: GithubFakeOptions = {}): Promise<GithubFake> {
  return new GithubFake(opts).start();
}
