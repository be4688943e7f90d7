// semver ships no types; the two functions the engines test uses (semver comes with sharp and @actions/cache).
declare module 'semver' {
  const semver: {
    subset(range: string, superset: string): boolean;
    satisfies(version: string, range: string): boolean;
  };
  export default semver;
}
