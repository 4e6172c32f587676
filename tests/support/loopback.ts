import type { Server } from 'node:net'

/**
 * Starts `server` (an HTTP or a bare TCP server a test stands up) on a port the OS picks on 127.0.0.1.
 * @example const { port, url } = await listenOnLoopback(createServer(handler))
 */
export async function listenOnLoopback(server: Server): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('the server has no TCP address')
  return { port: address.port, url: `http://127.0.0.1:${address.port}` }
}
