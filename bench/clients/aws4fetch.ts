/**
 * aws4fetch (signing, and its own retries on 5xx and 429) plus what a user writes around it to list events: a
 * NextToken loop, service-error mapping (error name from `x-amzn-errortype` or the body, as the SDKs read it) and
 * timestamps turned into Dates, so its output matches the SDK's and this package's.
 */
import { AwsClient } from "aws4fetch";
import type { CreateLister } from "./types.ts";

interface AuthEvent {
  CreationDate?: number | Date;
  EventFeedback?: { FeedbackDate?: number | Date };
}
interface Page {
  AuthEvents?: AuthEvent[];
  NextToken?: string;
}

/** A service error with the SDK's name, message and metadata. */
class ServiceError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId: string | undefined };
  constructor(name: string, message: string, status: number, requestId: string | undefined) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status, requestId };
  }
}

function serviceError(response: Response, text: string): ServiceError {
  let body: { __type?: string; code?: string; message?: string; Message?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // HTML or empty bodies from proxies: the status says enough.
  }
  const raw = response.headers.get("x-amzn-errortype") ?? body.code ?? body.__type ?? `Http${response.status}Error`;
  const name = raw.split(":")[0]!.split("#").pop()!;
  return new ServiceError(
    name,
    body.message ?? body.Message ?? `HTTP ${response.status}`,
    response.status,
    response.headers.get("x-amzn-requestid") ?? undefined,
  );
}

const toDate = (value: number | Date | undefined): Date | undefined =>
  typeof value === "number" ? new Date(value * 1000) : value;

export const createLister: CreateLister = (config) => {
  const aws = new AwsClient({ ...config.credentials, service: "cognito-idp", region: config.region });
  const call = async (body: Record<string, unknown>): Promise<Page> => {
    const response = await aws.fetch(config.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.AdminListUserAuthEvents",
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw serviceError(response, text);
    const page = JSON.parse(text) as Page;
    for (const event of page.AuthEvents ?? []) {
      event.CreationDate = toDate(event.CreationDate);
      if (event.EventFeedback) event.EventFeedback.FeedbackDate = toDate(event.EventFeedback.FeedbackDate);
    }
    return page;
  };
  return async (username, maxPages = Infinity) => {
    let pages = 0;
    let events = 0;
    let token: string | undefined;
    do {
      const page = await call({
        UserPoolId: config.userPoolId,
        Username: username,
        MaxResults: 60,
        ...(token ? { NextToken: token } : {}),
      });
      pages++;
      events += page.AuthEvents?.length ?? 0;
      if (page.NextToken === token) throw new Error("the service repeated its NextToken");
      token = page.NextToken;
    } while (token && pages < maxPages);
    return { pages, events };
  };
};
