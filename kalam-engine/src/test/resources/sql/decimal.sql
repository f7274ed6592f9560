-- Numeric comparisons with literals of another type or scale.
CREATE NAMESPACE g;
> ok
CREATE TABLE g.t (id BIGINT PRIMARY KEY, d DECIMAL(10,2), n INT, f DOUBLE) WITH (TYPE='SHARED');
> ok
INSERT INTO g.t (id, d, n, f) VALUES (1, 1.23, 2, 0.3), (2, 1.5, 3, 0.1), (3, -2.25, NULL, NULL);
> ok

-- issue 8: a literal with more scale than the column is compared by value, not rounded.
-- live
SELECT id FROM g.t WHERE d = 1.234;
> (no rows)

-- issue 8
-- live
SELECT id FROM g.t WHERE d = 1.230;
> 1

-- issue 8: n = 2.5 on an INT column matches no integer
-- live
SELECT id FROM g.t WHERE n = 2.5;
> (no rows)

-- issue 8
-- live
SELECT id FROM g.t WHERE n < 2.5;
> 1

-- issue 8: BETWEEN with integer bounds on a DECIMAL column
-- live
SELECT id FROM g.t WHERE d BETWEEN 1 AND 2;
> 1
> 2

-- issue 8: DOUBLE compared exactly
-- live
SELECT id FROM g.t WHERE f = 0.3;
> 1

-- issue 8
-- 0.1 + 0.2 is a little more than 0.3 in DOUBLE
-- live
SELECT id FROM g.t WHERE f + 0.2 > 0.3;
> 1
> 2

-- issue 8: integer division and MOD of negatives
-- live
SELECT id FROM g.t WHERE n / 2 = 1 AND MOD(-n, 2) = -1;
> 2
