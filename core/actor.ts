/** Who did a write: a person, a machine credential, or Flagpole itself (worker, CLI). */
export interface Actor {
  type: 'user' | 'token' | 'system';
  id: string;
  label: string;
}

export const systemActor = (id: string, label = id): Actor => ({ type: 'system', id, label });
