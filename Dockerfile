# Production image: gunicorn serves the web app; the same image runs the Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt
COPY . .
# collectstatic needs settings that import; these placeholders are never used at run time.
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=build-only-placeholder-key-that-is-long-enough-for-the-check-xx \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build EMAIL_URL=smtp://localhost:25 \
    DEFAULT_FROM_EMAIL=build@build.invalid \
    python manage.py collectstatic --no-input
RUN useradd --create-home unknot
USER unknot
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
