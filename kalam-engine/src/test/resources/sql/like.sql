-- LIKE, LIKE ... ESCAPE and ILIKE: the same in SELECT and in subscriptions (-- live).
CREATE NAMESPACE g;
> ok
CREATE TABLE g.t (id BIGINT PRIMARY KEY, s TEXT) WITH (TYPE='SHARED');
> ok
INSERT INTO g.t (id, s) VALUES (1, 'a_c'), (2, 'abc'), (3, 'ABC'), (4, 'a%c'), (5, NULL), (6, 'a!c');
> ok

-- issue 8: the live filter ignored ESCAPE
-- live
SELECT id FROM g.t WHERE s LIKE 'a!_c' ESCAPE '!';
> 1

-- issue 8
-- live
SELECT id FROM g.t WHERE s LIKE 'a!%c' ESCAPE '!';
> 4

-- issue 8: without ESCAPE, _ matches any one character
-- live
SELECT id FROM g.t WHERE s LIKE 'a_c';
> 1
> 2
> 4
> 6

-- issue 8: ILIKE was case-sensitive in live filters (and unknown to SELECT)
-- live
SELECT id FROM g.t WHERE s ILIKE 'abc';
> 2
> 3

-- issue 8
-- live
SELECT id FROM g.t WHERE s NOT ILIKE 'a_c';
> (no rows)

-- issue 8: NOT LIKE of NULL is unknown, so no match (row 5 is not here)
-- live
SELECT id FROM g.t WHERE s NOT LIKE 'a%';
> 3
