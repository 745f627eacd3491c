-- In 0001_initial.sql for PostgreSQL (see there); kept so both backends number alike.
SELECT 1;
