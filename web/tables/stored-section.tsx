import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { useT } from '../i18n/index.ts';
import { Link, routes } from '../router.tsx';
import { errorText } from './errors.ts';
import type { UploadKind } from './meta.ts';

/**
 * What is stored, for one kind of upload: the tables (or lists) with their current version; opened, one with
 * every version, its audit entries (tables) and rollback to a version after a confirmation.
 */

interface Stored {
  id: string;
  label: string;
  current: number | null;
  versions: number | null;
}

/** The tables of indicator values are the uploads that are no offer list. */
const OFFER_LIST_KIND = 'offer-list';

const ACTIONS = {
  upload: 'tables.audit.action.upload',
  replace: 'tables.audit.action.replace',
  rollback: 'tables.audit.action.rollback',
} as const;

function when(at: string): string {
  return at.slice(0, 16).replace('T', ' ');
}

export function StoredSection({ kind, token }: { kind: UploadKind; token: string }) {
  const t = useT();
  const tables = useQuery({ ...queries.editorTables(kind === 'tables' ? token : null) });
  const lists = useQuery({ ...queries.editorOfferLists(kind === 'offer-lists' ? token : null) });
  const query = kind === 'tables' ? tables : lists;
  const [open, setOpen] = useState<string | null>(null);
  const items: Stored[] | undefined =
    kind === 'tables'
      ? tables.data
          ?.filter((x) => x.kind !== OFFER_LIST_KIND)
          .map((x) => ({ id: x.id, label: x.id, current: x.current_version, versions: x.versions }))
      : lists.data?.map((x) => ({ id: x.id, label: x.title, current: x.version, versions: null }));

  return (
    <section className="editor-stored" aria-label={t('tables.stored.title')}>
      <h3>{t('tables.stored.title')}</h3>
      {query.isPending ? (
        <p className="loading" role="status">
          {t('tables.loading')}
        </p>
      ) : query.isError ? (
        <div role="alert" className="editor-error">
          <p>{errorText(t, query.error)}</p>
          <button type="button" onClick={() => query.refetch()}>
            {t('app.retry')}
          </button>
        </div>
      ) : items && items.length === 0 ? (
        <p>{kind === 'tables' ? t('tables.stored.noneTables') : t('tables.stored.noneLists')}</p>
      ) : (
        <ul className="editor-stored__list">
          {items?.map((item) => (
            <li key={item.id} data-id={item.id}>
              <button
                type="button"
                className="editor-stored__toggle"
                aria-expanded={open === item.id}
                onClick={() => setOpen(open === item.id ? null : item.id)}
              >
                {t('tables.stored.item', { label: item.label, id: item.id, version: item.current ?? '–' })}
              </button>
              {open === item.id ? <Versions kind={kind} token={token} id={item.id} /> : null}
            </li>
          ))}
        </ul>
      )}
      {kind === 'offer-lists' ? (
        <p>
          <Link to={routes.programmes}>{t('programme.list')}</Link>
        </p>
      ) : null}
    </section>
  );
}

function Versions({ kind, token, id }: { kind: UploadKind; token: string; id: string }) {
  const t = useT();
  const headingId = useId();
  const queryClient = useQueryClient();
  const table = useQuery({ ...queries.editorTable(kind === 'tables' ? token : null, id) });
  const list = useQuery({ ...queries.editorOfferList(kind === 'offer-lists' ? token : null, id) });
  const query = kind === 'tables' ? table : list;
  const versions =
    kind === 'tables'
      ? table.data?.versions.map((v) => ({ ...v, file: v.file_name }))
      : list.data?.versions?.map((v) => ({ ...v, file: null }));
  const [confirming, setConfirming] = useState<number | null>(null);
  const rollback = useMutation({
    mutationFn: (version: number) => api.rollback(kind, token, id, version),
    onSuccess: () => {
      setConfirming(null);
      // The current version has changed what the atlas shows: every answer is asked again.
      void queryClient.invalidateQueries();
    },
  });

  if (query.isPending)
    return (
      <p className="loading" role="status">
        {t('tables.loading')}
      </p>
    );
  if (query.isError)
    return (
      <p role="alert" className="editor-error">
        {errorText(t, query.error)}
      </p>
    );
  return (
    <section className="editor-versions" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('tables.versions.title', { id })}</h4>
      <div className="editor-scroll">
        <table className="editor-table">
          <thead>
            <tr>
              <th scope="col">{t('tables.col.version')}</th>
              <th scope="col">{t('tables.col.when')}</th>
              <th scope="col">{t('tables.col.who')}</th>
              {kind === 'tables' ? <th scope="col">{t('tables.col.file')}</th> : null}
              <th scope="col">{t('tables.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {versions?.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>{v.version}</td>
                <td>{when(v.created_at)}</td>
                <td>{v.created_by}</td>
                {kind === 'tables' ? <td>{v.file}</td> : null}
                <td>
                  {v.current ? (
                    <strong>{t('tables.versions.current')}</strong>
                  ) : confirming === v.version ? (
                    <fieldset className="editor-confirm">
                      <legend>{t('tables.rollback.confirm', { id, version: v.version })}</legend>
                      <button
                        type="button"
                        disabled={rollback.isPending}
                        onClick={() => rollback.mutate(v.version)}
                        // The confirmation takes the focus, so the keyboard stays where the question is.
                        ref={(el) => el?.focus()}
                      >
                        {t('tables.rollback.yes')}
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        {t('tables.rollback.cancel')}
                      </button>
                    </fieldset>
                  ) : (
                    <button type="button" onClick={() => setConfirming(v.version)}>
                      {t('tables.rollback.to', { version: v.version })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rollback.isError ? (
        <p role="alert" className="editor-error">
          {errorText(t, rollback.error)}
        </p>
      ) : null}
      {rollback.isSuccess ? (
        <p role="status" className="editor-ok">
          {t('tables.rollback.done', { id, version: rollback.variables ?? '' })}
        </p>
      ) : null}
      {kind === 'tables' && table.data ? (
        <>
          <h5>{t('tables.audit.title')}</h5>
          {table.data.audit.length === 0 ? (
            <p>{t('tables.audit.none')}</p>
          ) : (
            <ul className="editor-audit">
              {table.data.audit.map((a) => (
                <li key={a.id}>
                  {t('tables.audit.entry', {
                    when: when(a.at),
                    actor: a.actor,
                    action: a.action in ACTIONS ? t(ACTIONS[a.action as keyof typeof ACTIONS]) : a.action,
                    version: a.version ?? '–',
                  })}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
