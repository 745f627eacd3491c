# syntax=docker/dockerfile:1
# Comeback's image (docs/deploy.md). On its own it runs one bot process on SQLite, its database in
# the /data volume; docker-compose.yml runs the same image as webhook workers on PostgreSQL.
#
#   docker build -t comeback .
#   docker run -d --name comeback --env-file .env -v comeback-data:/data comeback
#
# Runtime dependencies only (`pip install .`, no test extras). Nothing runs as root.

ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/comeback
WORKDIR /src
COPY . .
RUN /opt/comeback/bin/pip install .

FROM python:${PYTHON_VERSION}-slim-bookworm
# A fixed uid, so a bind-mounted /data can be given to it: chown 10001:10001 /path/to/data
RUN groupadd --gid 10001 comeback \
    && useradd --uid 10001 --gid comeback --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin comeback \
    && install --directory --owner comeback --group comeback --mode 0700 /data
COPY --from=build /opt/comeback /opt/comeback
COPY deploy/healthcheck.py /opt/comeback/healthcheck.py
# METRICS_LISTEN gives polling mode its /healthz inside the container (loopback only) for the
# HEALTHCHECK below; in webhook mode /healthz is on WEBHOOK_LISTEN instead.
ENV PATH=/opt/comeback/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    DATABASE_URL=sqlite:////data/comeback.sqlite3 \
    METRICS_LISTEN=127.0.0.1:9090
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
# The webhook listener (WEBHOOK_LISTEN=0.0.0.0:8080 in webhook mode).
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/opt/comeback/healthcheck.py"]
# SIGTERM: the bot finishes what it is doing (at most 10 s) and exits.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
