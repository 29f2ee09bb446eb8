# Tianji gateway image. Build: docker build -t tianji .   Run: docker compose up
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LITELLM_LOCAL_MODEL_COST_MAP=True

WORKDIR /app
COPY pyproject.toml README.md ./
COPY router ./router
COPY config ./config
# Byte-compile at build time so every container start does not recompile litellm.
RUN pip install . && python -m compileall -q -j 0 /usr/local/lib/python3.11/site-packages

RUN useradd --system --uid 10001 tianji
USER tianji

EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz').status != 200)"

# Inside a container the gateway must listen on all interfaces to be reachable;
# the published port in docker-compose.yml binds to the host's 127.0.0.1 only.
CMD ["router", "serve", "--config", "/app/config/default.yaml", "--host", "0.0.0.0", "--port", "8080"]
