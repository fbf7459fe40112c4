// Checks requests against GitHub's published OpenAPI description (@octokit/openapi). The 13 MB
// document is read once per process; validators are compiled on first use of an operation and
// cached. OpenAPI 3.0 schemas are turned into JSON Schema for ajv: `nullable`, `$ref` into
// components (collected as local definitions), and objects closed against unknown keys so a
// misspelled field fails instead of being ignored.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from '../corpus.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
  operation: JsonObject;
}

export interface RequestToCheck {
  method: string;
  /** Path without the API prefix and without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** Raw body text; empty when none was sent. */
  body: string;
  contentType?: string;
}

export interface CheckResult {
  ok: boolean;
  /** "GET /repos/{owner}/{repo}/pulls/{pull_number}" when the route exists. */
  operation?: string;
  params: Record<string, string>;
  /** Parsed JSON body, when there was one. */
  json?: unknown;
  problems: string[];
}

interface Spec {
  routes: Map<string, Route[]>;
  components: JsonObject;
}

let spec: Spec | undefined;
const validators = new Map<string, { params: ValidateFunction; body?: ValidateFunction; bodyRequired: boolean }>();

function specPath(): string {
  // The package's exports forbid resolving the JSON itself; find the package root through its
  // package.json and read the generated file next to it.
  const require = createRequire(join(repoRoot, 'package.json'));
  return join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
}

function loadSpec(): Spec {
  if (spec) return spec;
  const doc = JSON.parse(readFileSync(specPath(), 'utf8')) as { paths: Record<string, JsonObject>; components: JsonObject };
  const routes = new Map<string, Route[]>();
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation || typeof operation !== 'object' || Array.isArray(operation)) continue;
      const params = resolveParameters(doc.components, operation as JsonObject);
      const names: string[] = [];
      let literalSegments = 0;
      const pattern = template
        .split('/')
        .map((segment) => {
          const m = /^\{(.+)\}$/.exec(segment);
          if (!m?.[1]) {
            literalSegments++;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          names.push(m[1]);
          const multi = params.find((p) => p.name === m[1])?.['x-multi-segment'] === true;
          return multi ? '(.+)' : '([^/]+)';
        })
        .join('/');
      const route: Route = {
        method: method.toUpperCase(),
        template,
        regex: new RegExp(`^${pattern}$`),
        names,
        literalSegments,
        operation: operation as JsonObject,
      };
      const list = routes.get(route.method) ?? [];
      list.push(route);
      routes.set(route.method, list);
    }
  }
  // Literal segments win over templates: /pulls/comments before /pulls/{pull_number}.
  for (const list of routes.values()) list.sort((a, b) => b.literalSegments - a.literalSegments);
  spec = { routes, components: doc.components };
  return spec;
}

function resolveRef(components: JsonObject, ref: string): Json {
  const parts = ref.replace(/^#\/components\//, '').split('/');
  let node: Json = components;
  for (const part of parts) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) throw new Error(`bad $ref ${ref}`);
    node = node[part] ?? null;
  }
  return node;
}

function resolveParameters(components: JsonObject, operation: JsonObject): Parameter[] {
  const list = Array.isArray(operation.parameters) ? operation.parameters : [];
  return list.map((p) => {
    const obj = p as JsonObject;
    const resolved = typeof obj.$ref === 'string' ? resolveRef(components, obj.$ref) : obj;
    return resolved as unknown as Parameter;
  });
}

/** OpenAPI 3.0 schema -> JSON Schema: refs become local definitions, nullable becomes a null type. */
function convert(schema: Json, components: JsonObject, defs: JsonObject, closeObjects: boolean): Json {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, components, defs, closeObjects));
  if (!schema || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    if (!(name in defs)) {
      defs[name] = true; // placeholder against recursion
      defs[name] = convert(resolveRef(components, schema.$ref), components, defs, closeObjects);
    }
    return { $ref: `#/definitions/${name}` };
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'examples' || key === 'description' || key.startsWith('x-')) continue;
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, convert(v, components, defs, closeObjects)]),
      );
    } else if (key === 'allOf') {
      // Members of allOf describe parts of one object: closing them would reject each other's keys.
      out.allOf = (value as Json[]).map((s) => convert(s, components, defs, false));
    } else {
      out[key] = convert(value, components, defs, closeObjects);
    }
  }
  if (closeObjects && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}

const ajvs = new Map<boolean, Ajv>();

/** coerce: path and query values arrive as strings that the spec types as integers; bodies never coerce. */
function ajv(coerce: boolean): Ajv {
  const existing = ajvs.get(coerce);
  if (existing) return existing;
  const instance = new Ajv({ strict: false, allErrors: true, coerceTypes: coerce, logger: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(instance);
  instance.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  instance.addFormat('timestamp', true);
  ajvs.set(coerce, instance);
  return instance;
}

function compileFor(route: Route): { params: ValidateFunction; body?: ValidateFunction; bodyRequired: boolean } {
  const key = `${route.method} ${route.template}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const { components } = loadSpec();
  const params = resolveParameters(components, route.operation).filter((p) => p.in === 'path' || p.in === 'query');
  const defs: JsonObject = {};
  const properties: JsonObject = {};
  for (const p of params) properties[p.name] = convert(p.schema ?? {}, components, defs, true);
  const paramsSchema: JsonObject = {
    type: 'object',
    properties,
    required: params.filter((p) => p.required === true || p.in === 'path').map((p) => p.name),
    additionalProperties: false,
    definitions: defs,
  };
  const entry: { params: ValidateFunction; body?: ValidateFunction; bodyRequired: boolean } = {
    params: ajv(true).compile(paramsSchema),
    bodyRequired: false,
  };
  const requestBody = route.operation.requestBody as JsonObject | undefined;
  if (requestBody) {
    const content = requestBody.content as JsonObject | undefined;
    const json = content?.['application/json'] as JsonObject | undefined;
    if (json?.schema) {
      const bodyDefs: JsonObject = {};
      const converted = convert(json.schema, components, bodyDefs, true) as JsonObject;
      entry.body = ajv(false).compile({ ...converted, definitions: bodyDefs });
    }
    entry.bodyRequired = requestBody.required === true;
  }
  validators.set(key, entry);
  return entry;
}

function describe(validate: ValidateFunction, what: string): string[] {
  return (validate.errors ?? []).map((e) => `${what}${e.instancePath || ''} ${e.message ?? 'is invalid'}${
    e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''
  }`);
}

/** Finds the operation for a request and validates its path, query and JSON body. */
export function checkRequest(req: RequestToCheck): CheckResult {
  const { routes } = loadSpec();
  const problems: string[] = [];
  let route: Route | undefined;
  let match: RegExpExecArray | null = null;
  for (const candidate of routes.get(req.method) ?? []) {
    match = candidate.regex.exec(req.path);
    if (match) {
      route = candidate;
      break;
    }
  }
  if (!route || !match) {
    return { ok: false, params: {}, problems: [`${req.method} ${req.path}: no such operation in the OpenAPI description`] };
  }
  const operation = `${route.method} ${route.template}`;
  const params: Record<string, string> = {};
  route.names.forEach((name, i) => {
    params[name] = decodeURIComponent(match?.[i + 1] ?? '');
  });
  const data: Record<string, unknown> = { ...params };
  for (const [k, v] of req.query) data[k] = v;
  const v = compileFor(route);
  if (!v.params(data)) problems.push(...describe(v.params, 'parameters'));

  let json: unknown;
  if (req.body.length > 0) {
    if (!v.body) problems.push('takes no JSON body');
    else if (!/application\/json/.test(req.contentType ?? '')) problems.push('body is not application/json');
    else {
      try {
        json = JSON.parse(req.body);
        if (!v.body(json)) problems.push(...describe(v.body, 'body'));
      } catch {
        problems.push('body is not valid JSON');
      }
    }
  } else if (v.bodyRequired) problems.push('a JSON body is required');
  return { ok: problems.length === 0, operation, params, json, problems: problems.map((p) => `${operation}: ${p}`) };
}
