"""Consistency checks for the deployment files: Dockerfile, .dockerignore,
docker-compose.yml, the k8s/ manifests and .yamllint.yaml.

No Docker or cluster is needed: the files are parsed, linted (yamllint), validated against the
Kubernetes JSON schemas bundled with kubernetes-validate (offline), and cross-checked against
each other, against gunicorn.conf.py and against the settings the application really reads.
"""
