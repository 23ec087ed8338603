// The hub's GraphQL explorer: GraphiQL from npm, bundled by the gateway (index.ts) and served
// from its own origin, with the operations users rely on as examples and a bearer-token helper.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import 'graphiql/style.css';
import './explorer.css';
import { EXAMPLES } from './examples.ts';

const ASSETS = '/graphql/explorer/';

// Monaco asks for a worker per language; each is a script of this origin (no blob: or data: workers).
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === 'json' ? 'json.worker' : label === 'graphql' ? 'graphql.worker' : 'editor.worker';
    return new Worker(`${ASSETS}${name}.js`, { name: label });
  },
};

/** Sends operations to this gateway; the headers editor's headers (e.g. Authorization) go along. */
async function fetcher(params, options = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${response.status} without a GraphQL answer: ${text.slice(0, 200)}` }] };
  }
}

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M4 5h16M4 10h16M4 15h10M4 20h7" strokeLinecap="round" />
    </svg>
  );
}

function TokenForm() {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const [token, setToken] = useState('');
  const [note, setNote] = useState('');
  const apply = (event) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (!value) {
      setNote('Bitte zuerst ein Token einfügen.');
      return;
    }
    headerEditor?.setValue(JSON.stringify({ Authorization: `Bearer ${value}` }, null, 2));
    setNote('Steht jetzt im Header-Editor („Headers“ unten) und geht mit jeder Anfrage mit.');
  };
  const remove = () => {
    headerEditor?.setValue('');
    setToken('');
    setNote('Ohne Token: nur öffentliche Daten.');
  };
  return (
    <form className="hub-token" onSubmit={apply}>
      <label htmlFor="hub-token">Token (Bearer)</label>
      <textarea id="hub-token" rows={3} value={token} spellCheck={false} autoComplete="off"
        placeholder="eyJhbGciOiJIUzI1NiJ9…" onChange={(event) => setToken(event.target.value)} />
      <div className="hub-buttons">
        <button type="submit">Token setzen</button>
        <button type="button" onClick={remove}>Entfernen</button>
      </div>
      <p className="hub-hint">
        Ein Token für den lokalen Hub: <code>npm run token -- --roles editor:SL</code> (Rollen: <code>hub-admin</code>,{' '}
        <code>admin:SL</code>, <code>editor:SL</code>, …). Ohne Token sind nur öffentliche Daten lesbar.
      </p>
      <p className="hub-note" role="status">{note}</p>
    </form>
  );
}

function ExamplesPanel() {
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const { run, setOperationName } = useGraphiQLActions();
  const open = (example, andRun) => {
    queryEditor?.setValue(example.query);
    variableEditor?.setValue('');
    // GraphiQL reads the operation's name from the editor only after a pause in typing: say it now.
    setOperationName(example.name);
    if (andRun) run();
  };
  return (
    <div className="hub-examples">
      <div className="graphiql-doc-explorer-title">Beispiele</div>
      <p className="hub-hint">Die Abfragen, auf die sich Nutzerinnen und Nutzer des Hubs verlassen. „Öffnen“ setzt sie in den Editor.</p>
      <ul>
        {EXAMPLES.map((example) => (
          <li key={example.name} data-example={example.name}>
            <h3>{example.title}</h3>
            <p>{example.description}</p>
            <div className="hub-buttons">
              <button type="button" onClick={() => open(example, false)}>Öffnen</button>
              {example.needsToken ? null : <button type="button" onClick={() => open(example, true)}>Öffnen und ausführen</button>}
            </div>
          </li>
        ))}
      </ul>
      <h3 className="hub-token-heading">Anmelden</h3>
      <TokenForm />
    </div>
  );
}

const EXAMPLES_PLUGIN = { title: 'Beispiele', icon: ExamplesIcon, content: ExamplesPanel };

function Explorer() {
  return (
    <GraphiQL fetcher={fetcher} plugins={[EXAMPLES_PLUGIN]} visiblePlugin={EXAMPLES_PLUGIN}
      defaultQuery={`# Links unter „Beispiele“ eine Abfrage wählen, oder hier schreiben.\n${EXAMPLES[0].query}\n`}
      defaultEditorToolsVisibility="headers" forcedTheme="light">
      <GraphiQL.Logo>Bündnis-Hub</GraphiQL.Logo>
    </GraphiQL>
  );
}

createRoot(document.getElementById('explorer')).render(<Explorer />);
