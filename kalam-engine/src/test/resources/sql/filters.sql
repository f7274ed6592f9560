-- Row filters: the WHERE of a SELECT, of a subscription (-- live) and of a topic route mean the same.
CREATE NAMESPACE g;
> ok
CREATE TABLE g.t (id BIGINT PRIMARY KEY, n INT, s TEXT, ok BOOLEAN) WITH (TYPE='SHARED');
> ok
INSERT INTO g.t (id, n, s, ok) VALUES (1, 1, 'alpha', TRUE), (2, 2, 'Beta', FALSE), (3, 3, NULL, NULL), (4, NULL, 'gamma', TRUE);
> ok

-- issue 8: live filters refused BETWEEN
-- live
SELECT id FROM g.t WHERE n BETWEEN 2 AND 3;
> 2
> 3

-- issue 8: BETWEEN SYMMETRIC accepts bounds in either order
-- live
SELECT id FROM g.t WHERE n BETWEEN SYMMETRIC 3 AND 2;
> 2
> 3

-- issue 8: live filters refused UPPER(...)
-- live
SELECT id FROM g.t WHERE UPPER(s) = 'BETA';
> 2

-- issue 8: CHAR_LENGTH and arithmetic in a filter
-- live
SELECT id FROM g.t WHERE CHAR_LENGTH(s) = 5 AND n * 2 > 1;
> 1

-- issue 8: BOOLEAN = 1 compared strings in the old live filter
-- live
SELECT id FROM g.t WHERE ok = 1;
> 1
> 4

-- issue 8: NOT IN with a NULL item matches no row
-- live
SELECT id FROM g.t WHERE n NOT IN (1, NULL);
> (no rows)

-- issue 8: IN with a NULL item matches the equal rows
-- live
SELECT id FROM g.t WHERE n IN (1, NULL);
> 1

-- issue 8: IS NOT TRUE keeps unknown rows, NOT (... = TRUE) does not
-- live
SELECT id FROM g.t WHERE ok IS NOT TRUE;
> 2
> 3

-- issue 8
-- live
SELECT id FROM g.t WHERE NOT (ok = TRUE);
> 2

-- issue 8: IS DISTINCT FROM treats NULL as a value
-- live
SELECT id FROM g.t WHERE n IS DISTINCT FROM 3;
> 1
> 2
> 4

-- issue 8: CASE in a filter
-- live
SELECT id FROM g.t WHERE CASE WHEN n > 1 THEN 'big' ELSE 'small' END = 'small';
> 1
> 4

-- issue 8: a filter may not change its answer for the same row: SELECT answers, a subscription is refused
-- live refuses: must give the same answer for the same row
SELECT * FROM g.t WHERE n > 1 AND NOW() IS NOT NULL;
> ok

-- issue 8
-- live refuses: must give the same answer for the same row
SELECT * FROM g.t WHERE id < SNOWFLAKE_ID();
> ok

-- issue 8: a run-time failure fails the SELECT; a subscription counts the row as no match
SELECT id FROM g.t WHERE CAST(s AS INTEGER) > 0;
> error: alpha
