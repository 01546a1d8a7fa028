# Sourced by scripts/voting-app.sh and scripts/review.sh: the environment Terraform needs here, the same for a
# deploy and for the review of the next one (a different database password would plan a replacement of db).

# The database password never appears in cdk.tf.json: it reaches Terraform as a sensitive variable.
use_db_password() {
  if [ -n "${TF_VAR_db_password:-}" ]; then return; fi
  if [ "${VOTING_APP_IMAGES:-public}" = "local" ]; then
    mkdir -p .secrets && chmod 700 .secrets
    [ -s .secrets/db-password ] || (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(24).toString('base64url'))" > .secrets/db-password)
    chmod 600 .secrets/db-password
    TF_VAR_db_password="$(cat .secrets/db-password)"
  else
    echo "terraform-env: the public worker and result images hard-code the password 'postgres'; using it" >&2
    TF_VAR_db_password=postgres
  fi
  export TF_VAR_db_password
}

# Where the kreuzwerker/docker provider cannot be downloaded, take it from a filesystem mirror
# (unless a CLI config that exists says otherwise: an environment may name one that is not there).
use_provider_mirror() {
  local mirror="${TF_PROVIDER_MIRROR:-/opt/terraform-provider-mirror}"
  if [ ! -f "${TF_CLI_CONFIG_FILE:-}" ] && compgen -G "$mirror/*/kreuzwerker/docker/*" >/dev/null; then
    export TF_CLI_CONFIG_FILE="$PWD/.terraform-cli.tfrc"
    cat > "$TF_CLI_CONFIG_FILE" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["kreuzwerker/docker"]
  }
  direct {
    exclude = ["kreuzwerker/docker"]
  }
}
TFRC
    echo "terraform-env: using the provider from the filesystem mirror $mirror" >&2
  fi
}
