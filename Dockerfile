FROM python:3.11-slim-bookworm

# WeasyPrint renders with Pango; gettext compiles translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext curl postgresql-client \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 yhdyspinta && mkdir -p /data/media && chown yhdyspinta /data/media
USER yhdyspinta
EXPOSE 8000
CMD ["gunicorn", "yhdyspinta.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
