// Paginators, as reports and exports use them: every user of a pool, a user's events page by page, and resuming
// from a page's token.
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  paginateAdminListUserAuthEvents,
  paginateListUsers,
} from "@aws-sdk/client-cognito-identity-provider";

const client = new CognitoIdentityProviderClient({});
const UserPoolId = process.env.COMPAT_POOL;
const Username = process.env.COMPAT_USER;

const users = [];
let userPages = 0;
for await (const page of paginateListUsers({ client, pageSize: 4 }, { UserPoolId })) {
  userPages++;
  users.push(...page.Users.map((u) => u.Username));
}

const pageSizes = [];
const ids = [];
for await (const page of paginateAdminListUserAuthEvents({ client, pageSize: 7 }, { UserPoolId, Username })) {
  pageSizes.push(page.AuthEvents.length);
  ids.push(...page.AuthEvents.map((e) => e.EventId));
}

const first = await client.send(new AdminListUserAuthEventsCommand({ UserPoolId, Username, MaxResults: 5 }));
const resumed = [];
for await (const page of paginateAdminListUserAuthEvents(
  { client, pageSize: 5, startingToken: first.NextToken },
  { UserPoolId, Username },
))
  resumed.push(...page.AuthEvents.map((e) => e.EventId));

console.log(
  JSON.stringify({
    users,
    userPages,
    pageSizes,
    events: ids.length,
    resumedIsTheRest: JSON.stringify(resumed) === JSON.stringify(ids.slice(5)),
  }),
);
