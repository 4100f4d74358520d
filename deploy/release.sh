#!/usr/bin/env bash
# One release, run from the checkout as the service user, after the code is in place, with the
# environment file's variables exported:
#   sudo -u stationing bash -c 'set -a; . /etc/stationing/stationing.env; set +a; deploy/release.sh'
# Then restart the services:
#   systemctl restart stationing-web stationing-worker stationing-beat
#
# Installs the portal into .venv (pip from this directory), migrates, writes missing beat
# entries (edited ones are left alone), collects static files, compiles the English catalogue,
# and on a first install creates the superuser from DJANGO_SUPERUSER_USERNAME / _PASSWORD /
# _EMAIL when they are set. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
test -x .venv/bin/python || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .

manage() { .venv/bin/python manage.py "$@"; }
manage check --deploy
manage migrate --noinput
manage sync_schedules
manage collectstatic --noinput
manage compilemessages -l en --ignore=.venv
if [ -n "${DJANGO_SUPERUSER_USERNAME:-}" ]; then
    # --noinput reads DJANGO_SUPERUSER_PASSWORD and _EMAIL; an existing user is left alone.
    manage createsuperuser --noinput || echo "superuser ${DJANGO_SUPERUSER_USERNAME} exists; left alone"
fi
echo "release done; now: systemctl restart stationing-web stationing-worker stationing-beat"
