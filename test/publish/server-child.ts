/*
 * s3rver in its own process, so a test can stop it half-way through a publish and start it again on the
 * same folder and port. Usage: node server-child.ts <folder> <port>. Prints "up" when it answers.
 * SIGTERM stops it at once: it closes every connection (uploads under way are cut off, as when a server
 * goes away) and exits half a second later. Not SIGKILL: s3rver writes an object's metadata in a second
 * file after its bytes, and one cut short makes every later listing fail (500), which a real S3 (a PUT
 * stored whole or not at all) never does; the half second lets such writes end.
 */
import S3rver from 's3rver';

const [directory, port] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  silent: true,
  directory,
  configureBuckets: [{ name: 'www', configs: [] }],
});
await server.run();
process.once('SIGTERM', () => {
  const http = (server as unknown as { httpServer: import('node:http').Server }).httpServer;
  http.close();
  http.closeAllConnections();
  setTimeout(() => process.exit(0), 500);
});
process.stdout.write('up\n');
