import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { useT } from '../i18n/index.ts';
import { errorText } from '../tables/errors.ts';
import { useEditorToken } from '../tables/session.ts';
import { StoredSection } from '../tables/stored-section.tsx';
import { UploadSection } from '../tables/upload-section.tsx';
import { PageHeading } from './page-heading.tsx';
import '../tables/tables.css';

/**
 * `/tables`: the editors' page (issues 15, 21). Behind sign-in with a token (kept for the tab's session only):
 * indicator tables and offer lists, each uploaded with its metadata, checked (dry run, the report of findings and,
 * for lists, how each row matched the address register with fixes for unmatched rows), stored; what is stored with
 * its versions, audit entries and rollback.
 */
export default function TablesPage() {
  const t = useT();
  const [token, setToken] = useEditorToken();
  const queryClient = useQueryClient();
  // The token is checked by asking for the tables: a 401 signs out again and says why.
  const check = useQuery({ ...queries.editorTables(token) });
  const refused = check.error instanceof ApiError && check.error.status === 401;
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    if (refused) {
      setRefusal(errorText(t, check.error));
      queryClient.removeQueries({ queryKey: ['editor'] });
      setToken(null);
    }
  }, [refused, check.error, t, queryClient, setToken]);

  const signOut = () => {
    queryClient.removeQueries({ queryKey: ['editor'] });
    setToken(null);
    setRefusal(null);
  };

  return (
    <div className="page page--narrow editor">
      <PageHeading title={t('tables.title')}>{t('tables.title')}</PageHeading>
      <p>{t('tables.intro')}</p>
      {!token ? (
        <SignIn
          refusal={refusal}
          onSignIn={(next) => {
            setRefusal(null);
            setToken(next);
          }}
        />
      ) : (
        <>
          <div className="editor-session">
            <p role="status">{check.isPending ? t('tables.signingIn') : t('tables.signedIn')}</p>
            <button type="button" onClick={signOut}>
              {t('tables.signOut')}
            </button>
          </div>
          {check.isError && !refused ? (
            <p className="editor-error" role="alert">
              {errorText(t, check.error)}
            </p>
          ) : null}
          {check.isSuccess ? (
            <>
              <section className="editor-section" aria-labelledby="editor-indicators">
                <h2 id="editor-indicators">{t('tables.indicators.title')}</h2>
                <p>{t('tables.indicators.intro')}</p>
                <UploadSection kind="tables" token={token} />
                <StoredSection kind="tables" token={token} />
              </section>
              <section className="editor-section" aria-labelledby="editor-lists">
                <h2 id="editor-lists">{t('tables.lists.title')}</h2>
                <p>{t('tables.lists.intro')}</p>
                <UploadSection kind="offer-lists" token={token} />
                <StoredSection kind="offer-lists" token={token} />
              </section>
            </>
          ) : null}
        </>
      )}
    </div>
  );
}

function SignIn({ refusal, onSignIn }: { refusal: string | null; onSignIn: (token: string) => void }) {
  const t = useT();
  const id = useId();
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onSignIn(value.trim());
  };
  return (
    <form className="editor-signin" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('tables.signIn.title')}</h2>
      <p id={`${id}-hint`}>{t('tables.signIn.hint')}</p>
      {refusal ? (
        <p className="editor-error" role="alert">
          {refusal}
        </p>
      ) : null}
      <label htmlFor={`${id}-token`}>{t('tables.signIn.token')}</label>
      <input
        id={`${id}-token`}
        type="password"
        autoComplete="off"
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit">{t('tables.signIn.submit')}</button>
    </form>
  );
}
