/**
 * Signatures per second: this package's signer against @smithy/signature-v4 (with the SDK's Node hash and with its
 * WebCrypto hash, as the SDK runs on Node and at the edge) and aws4fetch's AwsV4Signer, on the same
 * AdminListUserAuthEvents request. Interleaved rounds of a fixed duration; prints one JSON line on stdout.
 *
 * Each signer keeps its signing-key cache (all three cache the key per day, region and service), as in real use.
 */
import { Sha256, Sha256WebCrypto } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsV4Signer } from "aws4fetch";
import { fastestSha256 } from "../../src/sha256.ts";
import { SigV4Signer } from "../../src/sigv4.ts";

export interface SigningReply {
  type: "signing";
  /** Signer id -> ops/s of each round. */
  rounds: Record<string, number[]>;
}

const credentials = { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" };
const region = "us-east-1";
const service = "cognito-idp";
const host = "cognito-idp.us-east-1.amazonaws.com";
const body = JSON.stringify({
  UserPoolId: "us-east-1_demoPlus",
  Username: "alice",
  MaxResults: 60,
  NextToken: "eyJhZnRlciI6ImV2ZW50LTEyMyJ9.c2lnbmF0dXJlLXBhcnQ",
});
const headers = {
  "content-type": "application/x-amz-json-1.1",
  "x-amz-target": "AWSCognitoIdentityProviderService.AdminListUserAuthEvents",
};

const smithyNode = new SignatureV4({ credentials, region, service, sha256: Sha256 });
const smithyWeb = new SignatureV4({ credentials, region, service, sha256: Sha256WebCrypto });
const smithyRequest = () => ({
  method: "POST",
  protocol: "https:",
  hostname: host,
  path: "/",
  query: {},
  headers: { ...headers, host },
  body,
});

// The client's signer: one per client, keeping its signing key.
const ours = new SigV4Signer({ sha256: fastestSha256() });
const url = new URL(`https://${host}/`);

const signers: Record<string, () => Promise<unknown>> = {
  ours: () => ours.sign({ method: "POST", url, headers, body }, { credentials, region, service, date: new Date() }),
  "smithy-node": () => smithyNode.sign(smithyRequest(), { signingDate: new Date() }),
  "smithy-webcrypto": () => smithyWeb.sign(smithyRequest(), { signingDate: new Date() }),
  aws4fetch: () =>
    new AwsV4Signer({ method: "POST", url: `https://${host}/`, headers, body, ...credentials, service, region }).sign(),
};

async function opsPerSecond(sign: () => Promise<unknown>, durationMs: number): Promise<number> {
  let ops = 0;
  const started = performance.now();
  let elapsed = 0;
  // Check the clock every 16 signatures: reading it costs little next to a signature, but not nothing.
  while (elapsed < durationMs) {
    for (let i = 0; i < 16; i++) await sign();
    ops += 16;
    elapsed = performance.now() - started;
  }
  return (ops * 1000) / elapsed;
}

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_SIGNING_ROUNDS ?? 5);
  const durationMs = Number(process.env.BENCH_SIGNING_MS ?? 300);
  const ids = Object.keys(signers);
  const results: Record<string, number[]> = Object.fromEntries(ids.map((id) => [id, []]));
  // Warm-up: JIT, key caches, WebCrypto initialisation.
  for (const id of ids) await opsPerSecond(signers[id]!, 100);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[(i + round) % ids.length]!;
      results[id]!.push(await opsPerSecond(signers[id]!, durationMs));
    }
  }
  const reply: SigningReply = { type: "signing", rounds: results };
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`signing worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
