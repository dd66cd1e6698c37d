"""Storage: the only package that talks to the database.

SQLite by default, PostgreSQL when DATABASE_URL says so. Each domain's tables and queries live in
their own module here; uniqueness that makes retries and replicas safe is enforced by the database.
"""
