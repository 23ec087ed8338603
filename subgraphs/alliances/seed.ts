export async function seedAlliances(): Promise<boolean> { return false; }
