/** Reference floor: node:http with a keep-alive agent in a NextToken loop. No signing, retries or date parsing. */
import { Agent, request } from "node:http";
import type { CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => {
  const agent = new Agent({ keepAlive: true });
  const url = new URL(config.endpoint);
  const post = (body: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "AWSCognitoIdentityProviderService.AdminListUserAuthEvents",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            res.statusCode === 200
              ? resolve(Buffer.concat(chunks).toString("utf8"))
              : reject(new Error(`HTTP ${res.statusCode}`)),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  return async (username, maxPages = Infinity) => {
    let pages = 0;
    let events = 0;
    let token: string | undefined;
    do {
      const page = JSON.parse(
        await post(
          JSON.stringify({
            UserPoolId: config.userPoolId,
            Username: username,
            MaxResults: 60,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      ) as {
        AuthEvents?: unknown[];
        NextToken?: string;
      };
      pages++;
      events += page.AuthEvents?.length ?? 0;
      token = page.NextToken;
    } while (token && pages < maxPages);
    return { pages, events };
  };
};
