/*
 * s3rver in its own process, so a test can stop it with SIGKILL half-way through a publish and start it
 * again on the same folder and port. Usage: node server-child.ts <folder> <port>. Prints "up" when it answers.
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
process.stdout.write('up\n');
