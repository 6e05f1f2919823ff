-- Every store's id and name (a retailer has hundreds, not millions).
SELECT id, name FROM stores ORDER BY name, id
