// GET /compare: every role pair, and a picker for two roles.
import { comparePath } from '../../compare/canonical-pair.ts';
import { ROLES } from '../../roles/catalog.ts';
import { Layout } from '../../ui/layout.tsx';

export function CompareIndexPage({ publicUrl }: { publicUrl: string }) {
  return (
    <Layout
      title="Compare AI roles: pay, demand and skills"
      description="Pick two AI roles and see their open positions, advertised pay, remote share and skills side by side."
      canonical={`${publicUrl}/compare`}
    >
      <h1>Compare two AI roles</h1>
      <p className="lede">Choose two roles, or open one of the pairs below.</p>
      <RolePicker />
      <h2 id="all">Every pair</h2>
      <div className="grid2">
        {ROLES.slice(0, -1).map((r, i) => (
          <div key={r.slug}>
            <h3>{r.name} vs</h3>
            <ul>
              {ROLES.slice(i + 1).map((o) => (
                <li key={o.slug}>
                  <a href={comparePath(r.slug, o.slug)}>{o.name}</a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </Layout>
  );
}

function RoleSelect({ label, name, value }: { label: string; name: string; value: string }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        {ROLES.map((r) => (
          <option key={r.slug} value={r.slug}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A GET form to /compare?a=&b=, which redirects to the canonical pair page. */
export function RolePicker({ a, b }: { a?: string; b?: string }) {
  return (
    <form className="pick" method="get" action="/compare">
      <RoleSelect label="First role" name="a" value={a ?? ROLES[0]!.slug} />
      <RoleSelect label="Second role" name="b" value={b ?? ROLES[1]!.slug} />
      <button type="submit">Compare</button>
    </form>
  );
}
