import { fetchUser, type User } from './api';

const users: Map<string, User> = new Map<string, User>();

export async function getUser(id: string): Promise<User> {
  let user = users.get(id);
  if (!user) {
    user = await fetchUser(id);
    users.set(id, user); // want LK001 "users"
  }
  return user;
}
