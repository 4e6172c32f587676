import { createServer, type Socket } from 'node:net'
import { listenOnLoopback } from '../../support/loopback.ts'

/** A TCP server on loopback that accepts connections, reads everything, and never answers. */
export interface Blackhole {
  readonly url: string
  readonly port: number
  /** Connections accepted so far. */
  connections(): number
  close(): Promise<void>
}

/** Starts a server that hangs every request: the shape of a hub or an AWS endpoint that stopped answering. */
export async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createServer((socket) => {
    accepted++
    sockets.add(socket)
    socket.on('data', () => undefined)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  const { port, url } = await listenOnLoopback(server)
  return {
    url,
    port,
    connections: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
