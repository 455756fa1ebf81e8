import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { Table } from '../../../components/table';
import { BackLink, Loaded, SuccessBanner, Tag } from '../kit/display';
import { Form, FormErrorSummary, Select, SubmitButton, TextField } from '../kit/fields';
import { useOwnOrg } from '../kit/own-org';
import { useFormErrors } from '../kit/refusals';
import { useApi } from '../../../use-api';
import type { ItemList, Team, User } from '../types';

/**
 * Teams decide who in a recipient organisation may open what was addressed to them (docs/architecture.md
 * §25); they hold no keys. The IG lead creates them, sets their members and the default receiving team.
 */
const ROLE: Record<string, string> = {
  'ig-lead': 'IG lead',
  practitioner: 'Practitioner',
  auditor: 'Auditor',
};

type TeamList = ItemList<Team> & { defaultTeam: string | null };

export function TeamsPage() {
  const org = useOwnOrg();
  const teams = useApi<TeamList>(`/organisations/${org}/teams`);
  const users = useApi<ItemList<User>>(`/organisations/${org}/users`);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const { errors, busy, submit } = useFormErrors({
    codes: { 'team.name-required': 'name', 'team.name-taken': 'name' },
    fallback: 'name',
    fields: ['name'],
  });
  usePageTitle('Teams and members', Object.keys(errors).length > 0);
  const create = () =>
    submit(async () => {
      await api('POST', `/organisations/${org}/teams`, { body: { name } });
      setCreated(name);
      setName('');
      teams.reload();
    });
  return (
    <>
      <FormErrorSummary errors={errors} order={['name']} />
      {created ? <SuccessBanner title={`Team ‘${created}’ created`} /> : null}
      <h1 className="govuk-heading-l">Teams and members</h1>
      <p className="govuk-body">
        When a partner addresses a document to one of your teams, only that team&apos;s members can open it. A
        document that names none of your teams goes to the default team, or to everyone if there is none.
      </p>
      <Loaded resource={teams}>
        {({ items }) => (
          <Table
            empty="Your organisation has no teams yet."
            caption="Teams"
            rows={items}
            rowKey={(t) => t.id}
            columns={[
              {
                header: 'Team',
                cell: (t) => (
                  <Link className="govuk-link" to={`/teams/${t.id}`}>
                    {t.name}
                  </Link>
                ),
              },
              { header: 'Members', cell: (t) => t.members?.length ?? 0 },
              {
                header: 'Receives by default',
                cell: (t) => (t.default ? <Tag colour="blue">Default team</Tag> : 'No'),
              },
            ]}
          />
        )}
      </Loaded>
      <h2 className="govuk-heading-m">Create a team</h2>
      <Form onSubmit={() => void create()}>
        <TextField
          id="name"
          label="Team name"
          value={name}
          onChange={setName}
          error={errors.name}
          width="govuk-input--width-30"
        />
        <SubmitButton busy={busy}>Create team</SubmitButton>
      </Form>
      <h2 className="govuk-heading-m">People in your organisation</h2>
      <Loaded resource={users}>
        {({ items }) => (
          <Table
            caption="People in your organisation"
            captionClassName="govuk-visually-hidden"
            rows={items}
            rowKey={(u) => u.id}
            columns={[
              {
                header: 'Name',
                cell: (u) => (
                  <>
                    {u.name}
                    <br />
                    <span className="govuk-body-s">{u.email}</span>
                  </>
                ),
              },
              { header: 'Role', cell: (u) => ROLE[u.role] ?? u.role },
              {
                header: 'Teams',
                cell: (u) =>
                  (teams.data?.items ?? [])
                    .filter((t) => t.members?.includes(u.id))
                    .map((t) => t.name)
                    .join(', ') || 'None',
              },
              {
                header: 'Status',
                cell: (u) =>
                  u.status === 'active' ? (
                    <Tag colour="green">Active</Tag>
                  ) : (
                    <Tag colour="red">Suspended</Tag>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}

export function TeamPage() {
  const { teamId = '' } = useParams();
  const org = useOwnOrg();
  const teams = useApi<TeamList>(`/organisations/${org}/teams`);
  const users = useApi<ItemList<User>>(`/organisations/${org}/users`);
  const [userId, setUserId] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const { errors, setErrors, busy, submit } = useFormErrors({
    codes: {
      'team.user-not-in-organisation': 'userId',
      'team.not-found': 'userId',
      'user.not-found': 'userId',
    },
    fallback: 'userId',
    fields: ['userId'],
  });
  const team = teams.data?.items.find((t) => t.id === teamId);
  usePageTitle(team?.name ?? 'Team', Object.keys(errors).length > 0);
  const base = `/organisations/${org}/teams/${encodeURIComponent(teamId)}/members`;
  // After a change the members are read again; until then the buttons would act on the old list.
  const stale = busy || teams.loading || users.loading;
  const nameOf = (id: string) => users.data?.items.find((u) => u.id === id)?.name ?? id;
  const change = (action: () => Promise<unknown>, done: string) =>
    submit(async () => {
      await action();
      setMessage(done);
      teams.reload();
    });
  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      <FormErrorSummary errors={errors} order={['userId']} />
      {message ? <SuccessBanner title={message} /> : null}
      <Loaded resource={teams}>
        {() =>
          !team ? (
            <p className="govuk-body">This team could not be found.</p>
          ) : (
            <>
              <span className="govuk-caption-l">Team</span>
              <h1 className="govuk-heading-l">{team.name}</h1>
              <p className="govuk-body">
                {team.default ? (
                  <>
                    <Tag colour="blue">Default team</Tag> Documents that name none of your teams come to this
                    team.
                  </>
                ) : (
                  'Documents come to this team only when a partner addresses them to it.'
                )}
              </p>
              <button
                type="button"
                className="govuk-button govuk-button--secondary"
                disabled={stale}
                onClick={() =>
                  void change(
                    () =>
                      api('PUT', `/organisations/${org}/default-team`, {
                        body: { teamId: team.default ? null : team.id },
                      }),
                    team.default ? 'No default team now' : `${team.name} is now the default team`,
                  )
                }
              >
                {team.default ? 'Stop being the default team' : 'Make this the default team'}
              </button>
              <h2 className="govuk-heading-m">Members</h2>
              <Table
                empty="No members yet."
                caption={`Members of ${team.name}`}
                captionClassName="govuk-visually-hidden"
                rows={team.members ?? []}
                rowKey={(m) => m}
                columns={[
                  { header: 'Name', cell: (m) => nameOf(m) },
                  {
                    header: <span className="govuk-visually-hidden">Action</span>,
                    numeric: true,
                    cell: (m) => (
                      <button
                        type="button"
                        className="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                        disabled={stale}
                        onClick={() =>
                          void change(
                            () => api('DELETE', `${base}/${encodeURIComponent(m)}`),
                            `${nameOf(m)} removed`,
                          )
                        }
                      >
                        Remove<span className="govuk-visually-hidden"> {nameOf(m)} from the team</span>
                      </button>
                    ),
                  },
                ]}
              />
              <h2 className="govuk-heading-m">Add a member</h2>
              <Form
                onSubmit={() =>
                  userId
                    ? void change(
                        () => api('PUT', `${base}/${encodeURIComponent(userId)}`),
                        `${nameOf(userId)} added`,
                      )
                    : setErrors({ userId: 'Choose the person to add' })
                }
              >
                <Select
                  id="userId"
                  label="Person"
                  value={userId}
                  onChange={setUserId}
                  error={errors.userId}
                  options={[
                    { value: '', label: 'Choose a person' },
                    ...(users.data?.items ?? [])
                      .filter((u) => !team.members?.includes(u.id))
                      .map((u) => ({ value: u.id, label: `${u.name} (${ROLE[u.role] ?? u.role})` })),
                  ]}
                />
                <SubmitButton busy={stale}>Add to team</SubmitButton>
              </Form>
            </>
          )
        }
      </Loaded>
    </>
  );
}
