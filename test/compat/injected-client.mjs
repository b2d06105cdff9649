// A client injected into a class (dependency injection, as services and their tests do), with explicit options.
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  CognitoIdentityProviderClient,
  FeedbackValueType,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";

class AuthEventsRepository {
  constructor(client, userPoolId) {
    this.client = client;
    this.userPoolId = userPoolId;
  }
  async users(limit) {
    const out = await this.client.send(new ListUsersCommand({ UserPoolId: this.userPoolId, Limit: limit }));
    return out.Users.map((u) => ({ name: u.Username, created: u.UserCreateDate?.toISOString(), enabled: u.Enabled }));
  }
  async latest(username) {
    const out = await this.client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: this.userPoolId, Username: username, MaxResults: 1 }),
    );
    return out.AuthEvents[0];
  }
  async markInvalid(username, eventId) {
    const out = await this.client.send(
      new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: this.userPoolId,
        Username: username,
        EventId: eventId,
        FeedbackValue: FeedbackValueType.INVALID,
      }),
    );
    return out.$metadata.httpStatusCode;
  }
}

const client = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint: process.env.COMPAT_ENDPOINT,
  credentials: { accessKeyId: process.env.COMPAT_KEY, secretAccessKey: process.env.COMPAT_SECRET },
  maxAttempts: 2,
});
const repository = new AuthEventsRepository(client, process.env.COMPAT_POOL);
const latest = await repository.latest(process.env.COMPAT_USER);
const status = await repository.markInvalid(process.env.COMPAT_USER, latest.EventId);
const after = await repository.latest(process.env.COMPAT_USER);
console.log(
  JSON.stringify({
    users: await repository.users(3),
    status,
    feedbackBefore: latest.EventFeedback?.FeedbackValue ?? null,
    feedbackAfter: after.EventFeedback?.FeedbackValue ?? null,
    feedbackDateIsDate: after.EventFeedback?.FeedbackDate instanceof Date,
    metadataKeys: Object.keys(
      (await client.send(new ListUsersCommand({ UserPoolId: process.env.COMPAT_POOL, Limit: 1 }))).$metadata,
    ).sort(),
  }),
);
