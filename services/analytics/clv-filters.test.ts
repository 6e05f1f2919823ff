import { z } from 'zod'
import { checkClvFilter, clvFilterCondition, clvFilterOf, ClvFilterFields, withCondition } from './clv-filters'

/** The filter → condition module on its own: constant SQL text, values only as bound parameters. */
const Schema = z.strictObject(ClvFilterFields).superRefine(checkClvFilter)

test('no filter is the condition 1, with no parameters', () => {
  expect(clvFilterCondition({}, 'c')).toEqual({ sql: '1', params: {} })
  expect(clvFilterOf({})).toBeUndefined()
})

test('every field is one term on the alias with its value bound, never in the text', () => {
  const filter = Schema.parse({ min_clv: '100.5', max_clv: '2000', min_p_alive: '0.1', max_p_alive: '.5', churn_band: 'high,medium,high' })
  expect(filter).toEqual({ min_clv: '100.5', max_clv: '2000', min_p_alive: 0.1, max_p_alive: 0.5, churn_band: ['high', 'medium'] })
  const condition = clvFilterCondition(clvFilterOf({ ...filter, cursor: 'x' } as never)!, 'scores')
  expect(condition.sql).toBe(
    'scores.clv >= {clv_min_clv:Decimal(18, 2)} AND scores.clv <= {clv_max_clv:Decimal(18, 2)} AND scores.p_alive >= {clv_min_p_alive:Float64} ' +
      'AND scores.p_alive <= {clv_max_p_alive:Float64} AND has({clv_churn_band:Array(String)}, scores.churn_band)',
  )
  expect(condition.params).toEqual({ clv_min_clv: '100.5', clv_max_clv: '2000', clv_min_p_alive: 0.1, clv_max_p_alive: 0.5, clv_churn_band: ['high', 'medium'] })
  expect(() => clvFilterCondition(filter, 'c; DROP TABLE x')).toThrow(/not a table alias/)
})

test('values that are not amounts, probabilities or bands are refused; a minimum above its maximum too', () => {
  const paths = (input: object) => (Schema.safeParse(input).error?.issues ?? []).map((issue) => issue.path.join('.')).sort()
  expect(paths({ min_clv: '1e3', max_clv: '5.123', min_p_alive: '1.5', max_p_alive: 'NaN', churn_band: "low' OR 1=1" })).toEqual(['churn_band', 'max_clv', 'max_p_alive', 'min_clv', 'min_p_alive'])
  expect(paths({ min_clv: '10', max_clv: '-10', min_p_alive: '0.9', max_p_alive: '0.1' })).toEqual(['max_clv', 'max_p_alive'])
  expect(paths({ min_clv: '10.00', max_clv: '10', min_p_alive: '1', max_p_alive: '1.0' })).toEqual([])
})

test('a statement takes the condition in its one slot, parenthesised; a statement without exactly one slot is refused', () => {
  expect(withCondition('SELECT 1 WHERE a AND {{clv_filter}}', { sql: 'x OR y', params: {} })).toBe('SELECT 1 WHERE a AND (x OR y)')
  expect(() => withCondition('SELECT 1', { sql: '1', params: {} })).toThrow(/exactly one/)
  expect(() => withCondition('{{clv_filter}} {{clv_filter}}', { sql: '1', params: {} })).toThrow(/exactly one/)
})
