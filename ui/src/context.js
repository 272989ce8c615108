// What every page may read: who is signed in (GET /me) and the project the header has chosen.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const Me = createContext({ me: null, project: 'default', setProject: () => {} });

export const useMe = () => useContext(Me);

/** The project named objects are looked up in: the route's ?project= when given, else the header's choice. */
export function useProject(route) {
  const { project } = useMe();
  return route?.query?.project || project;
}

const RANK = { viewer: 1, editor: 2, admin: 3 };
const NEEDS = { read: 1, write: 2, manage: 3, approve: 3, promote: 3 };

/**
 * Whether the caller may do `permission` (read, write, manage, approve, promote) in a project, by GET /me; only to
 * show or hide a button: the server decides.
 */
export function can(me, project, permission) {
  if (!me) return false;
  if (me.user?.admin) return true;
  const p = me.projects?.find((x) => x.name === project);
  return !!p && ((RANK[p.role] ?? 0) >= NEEDS[permission] || (p.permissions ?? []).includes(permission));
}
