-- The fitted models of one CLV run with their fit diagnostics (GET /v1/clv, GET
-- /v1/members/:id/value). Params: run_id UInt64.
SELECT model, params, log_likelihood, iterations, converged, members, note
FROM clv_models
WHERE run_id = {run_id:UInt64}
ORDER BY model
