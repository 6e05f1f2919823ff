import { z } from 'zod'
import { STAFF_ROLES, type StaffRole } from '../auth/auth.middleware'

/**
 * What every area's `<area>.openapi.ts` builds its part of /openapi.json from: JSON Schemas
 * converted from the zod schemas the routes validate with (so the document cannot drift from
 * the validation), and operations with their security, roles and problem answers.
 */

type JsonSchema = Record<string, unknown>
const CONVERT = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const

/** The JSON Schema of what a client sends for `schema` (defaults make a field optional). */
export function inputSchema(schema: z.ZodType): JsonSchema {
  const converted = z.toJSONSchema(schema, CONVERT) as JsonSchema
  delete converted.$schema
  return converted
}

/**
 * Components from named zod schemas. A named schema used inside another becomes a `$ref` to
 * `#/components/schemas/<name>` instead of a copy.
 */
export function componentSchemas(named: Record<string, z.ZodType>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id })
  const { schemas } = z.toJSONSchema(registry, { ...CONVERT, uri: (id) => `#/components/schemas/${id}` })
  return Object.fromEntries(
    Object.entries(schemas).map(([id, converted]) => {
      const { $schema: _schema, $id: _id, ...rest } = converted as JsonSchema
      return [id, rest]
    }),
  )
}

/** One query parameter per property of a zod object schema (as parseQuery reads them). */
export function queryParameters(schema: z.ZodType): JsonSchema[] {
  const converted = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] }
  if (!converted.properties) throw new Error('query parameters need a zod object schema')
  return Object.entries(converted.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: converted.required?.includes(name) ?? false,
    schema: property,
  }))
}

/** A path parameter (`{name}` in the path). */
export function pathParameter(name: string, schema: z.ZodType | JsonSchema, description: string): JsonSchema {
  return { name, in: 'path', required: true, description, schema: schema instanceof z.ZodType ? inputSchema(schema) : schema }
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
export const json = (schema: object) => ({ 'application/json': { schema } })
export const body = (schema: object) => ({ required: true, content: json(schema) })
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } })
export const ok = (description: string) => ({ description, content: json({ type: 'object' }) })

export const invalid = problem('Invalid input: one entry in `errors` per problem, each with its JSON path ($.field)')
export const notFound = (what: string) => problem(`No such ${what}`)

interface Operation {
  summary: string
  description?: string
  parameters?: object[]
  requestBody?: object
  responses: Record<string, object>
}

const paragraphs = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('\n\n')

/**
 * An operation for signed-in staff holding one of `roles` (keep in sync with the router's
 * requireStaff). `x-roles` lists every role admitted; admin passes every role check.
 */
export function staffOperation(roles: readonly StaffRole[], op: Operation) {
  const admitted = STAFF_ROLES.filter((role) => role === 'admin' || roles.includes(role))
  const who = admitted.length === STAFF_ROLES.length ? 'any staff role' : admitted.join(', ')
  return {
    ...op,
    description: paragraphs(op.description, `**Roles**: ${who}. A staff token (POST /v1/staff/sessions) without one of them: 403.`),
    security: [{ staffToken: [] }],
    'x-roles': admitted,
    responses: {
      ...op.responses,
      '401': problem("No staff token, an expired one, a member's token, or a disabled user's"),
      '403': problem(`The staff user holds none of the roles ${admitted.join(', ')}`),
    },
  }
}

/** An operation for a signed-in member acting as themselves (the member is the token's subject). */
export function memberOperation(op: Operation) {
  return {
    ...op,
    description: paragraphs(op.description, '**Who**: the member themselves, with a member token (POST /v1/me/sessions). No staff role opens it.'),
    security: [{ memberToken: [] }],
    responses: { ...op.responses, '401': problem('No member token, an expired one, or a member who is no longer active') },
  }
}

/** An operation for a till, with its store's key (scope swipes:write). */
export function tillOperation(op: Operation) {
  return {
    ...op,
    description: paragraphs(
      op.description,
      "**Who**: a till, with its store's key (scope `swipes:write`) as a bearer token or in `X-Api-Key`. No staff role opens it.",
    ),
    security: [{ storeKey: [] }],
    responses: { ...op.responses, '401': problem('Missing, unknown or revoked store key'), '403': problem('The key lacks the swipes:write scope') },
  }
}

/** A sign-in: no credentials needed (it is how they are obtained). */
export function publicOperation(op: Operation) {
  return { ...op, security: [] }
}
