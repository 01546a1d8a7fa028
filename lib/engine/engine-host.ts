import { TerraformVariable } from 'cdktf';
import type { DockerProviderConfig } from '@cdktf/provider-docker/lib/provider';
import { ValidationError, constructLabel, isKnown } from '../core/errors';

/**
 * What an argument is set to so that the provider does not take it from the environment: it reads `cert_path` from
 * `DOCKER_CERT_PATH` where the configuration leaves it out, and refuses `cert_path` beside `ca_material`
 * ("cert_path must not be specified"), so an engine reached otherwise would fail wherever DOCKER_CERT_PATH is set
 * (as `npm run lab` exports it).
 */
const NOT_FROM_ENVIRONMENT = '';

/** The three PEM files of a TLS client, as sensitive Terraform variables (`TF_VAR_<name>` or a `.tfvars` file). */
export interface TlsVariables {
  /** The certificate of the CA that signed the engine's certificate. */
  readonly ca: TerraformVariable;
  /** The client's certificate, signed by a CA the engine trusts (`--tlscacert`). */
  readonly cert: TerraformVariable;
  /** The client's private key: the variable must be `sensitive: true`. */
  readonly key: TerraformVariable;
}

/**
 * How the provider proves who it is to an engine that listens on TCP with `--tlsverify`, and checks who the engine
 * is: a CA certificate, a client certificate and its private key. A private key is never written in code: it comes
 * from files on the machine that runs Terraform, or from a sensitive variable.
 */
export class TlsMaterial {
  /**
   * The files `ca.pem`, `cert.pem` and `key.pem` in `certPath`, read by the provider when it connects (the layout of
   * `DOCKER_CERT_PATH`, and of `~/.docker` for the docker CLI). The files stay out of cdk.tf.json and the state.
   */
  public static fromPath(certPath: string): TlsMaterial {
    if (isKnown(certPath) && certPath.trim() === '') {
      throw new ValidationError('TlsMaterial', 'the certificate folder is empty; give the folder that holds ca.pem, cert.pem and key.pem.');
    }
    return new TlsMaterial({ certPath });
  }

  /**
   * The PEM text of each file from a Terraform variable: cdk.tf.json holds only references (`${var.worker_key}`),
   * and the values come from `TF_VAR_<name>` or a `.tfvars` file when Terraform runs. The key's variable must be
   * sensitive, so that Terraform never prints it.
   */
  public static fromVariables(variables: TlsVariables): TlsMaterial {
    if (variables.key.sensitive !== true) {
      throw new ValidationError(
        'TlsMaterial',
        `the variable ${constructLabel(variables.key)} holds a private key and is not sensitive, so Terraform would print ` +
          'it in plans and logs; declare it with `sensitive: true`.',
      );
    }
    return new TlsMaterial({
      certPath: NOT_FROM_ENVIRONMENT,
      caMaterial: variables.ca.stringValue,
      certMaterial: variables.cert.stringValue,
      keyMaterial: variables.key.stringValue,
    });
  }

  private constructor(private readonly config: DockerProviderConfig) {}

  /** The provider's TLS arguments (`cert_path`, or `ca_material`, `cert_material` and `key_material`). */
  public providerConfig(): DockerProviderConfig {
    return { ...this.config };
  }
}

/**
 * Where an engine listens, and how the provider reaches it: the environment as the docker CLI reads it, a local
 * socket, TCP with TLS, or SSH. An engine with a host of its own takes nothing from the environment: its provider
 * gets `cert_path = ""` unless its certificates come from a folder.
 */
export class EngineHost {
  /**
   * Whatever the environment of `terraform` names, as the docker CLI reads it: `DOCKER_HOST` with `DOCKER_CERT_PATH`
   * (and `DOCKER_TLS_VERIFY`), else the local socket. A stack's own `DockerProvider` without arguments does the same.
   */
  public static fromEnvironment(): EngineHost {
    return new EngineHost(undefined, {}, 'DOCKER_HOST, else the local socket');
  }

  /**
   * A Unix socket on the machine that runs Terraform.
   * @param path @default '/var/run/docker.sock'
   */
  public static socket(path: string = '/var/run/docker.sock'): EngineHost {
    if (isKnown(path) && !path.startsWith('/')) {
      throw new ValidationError('EngineHost', `the socket path "${path}" is not absolute; write it like "/var/run/docker.sock".`);
    }
    return new EngineHost(`unix://${path}`, { certPath: NOT_FROM_ENVIRONMENT });
  }

  /**
   * An engine that listens on TCP with TLS (`dockerd --tlsverify -H tcp://0.0.0.0:2376`), e.g. `tcp://10.0.0.2:2376`.
   * The provider checks the engine's certificate against the CA and shows its own.
   */
  public static tls(url: string, material: TlsMaterial): EngineHost {
    EngineHost.checkUrl(url, 'tcp://host[:port]', 'tcp://10.0.0.2:2376');
    return new EngineHost(url, material.providerConfig());
  }

  /**
   * An engine reached over SSH (`ssh://user@host[:port]`): the provider runs `ssh ... docker system dial-stdio`, with
   * the keys and `known_hosts` of the user that runs Terraform; the remote user needs access to the engine's socket.
   * @param sshOptions more `ssh` arguments, e.g. `['-o', 'StrictHostKeyChecking=yes', '-i', '/keys/deploy']`
   * @default - none beyond the provider's own (`-o ConnectTimeout=30`)
   */
  public static ssh(url: string, sshOptions?: string[]): EngineHost {
    EngineHost.checkUrl(url, 'ssh://[user@]host[:port]', 'ssh://deploy@10.0.0.2');
    return new EngineHost(url, { certPath: NOT_FROM_ENVIRONMENT, sshOpts: sshOptions && sshOptions.length > 0 ? [...sshOptions] : undefined });
  }

  private static checkUrl(url: string, form: string, example: string): void {
    if (!isKnown(url)) return;
    const match = /^([a-z]+):\/\/([^/?#]+)$/.exec(url);
    if (!match || !form.startsWith(`${match[1]}://`)) {
      throw new ValidationError('EngineHost', `"${url}" is not an address of the form ${form}; write it like "${example}".`);
    }
  }

  /** The engine's address (`tcp://10.0.0.2:2376`, `ssh://deploy@10.0.0.2`); undefined for the environment's. */
  public readonly url?: string;

  private constructor(
    url: string | undefined,
    private readonly config: DockerProviderConfig,
    private readonly description?: string,
  ) {
    this.url = url;
  }

  /** The provider's arguments for this host: `host` and its TLS or SSH arguments; none for the environment's. */
  public providerConfig(): DockerProviderConfig {
    return { ...(this.url !== undefined ? { host: this.url } : {}), ...this.config };
  }

  /** `tcp://10.0.0.2:2376`, as messages name the host. */
  public toString(): string {
    if (this.description !== undefined) return this.description;
    return isKnown(this.url) ? this.url! : 'a host known only at apply time';
  }
}
