// ES module. A Set of connections, deleted on 'end' only.
import net from 'node:net';

const connections = new Set();
net.createServer((socket) => {
  const forget = () => connections.delete(socket);
  connections.add(socket); // want LK001 "Set \"connections\" grows on every call \\(.add\\(\\)\\) and its entries are deleted in the \"end\" handler of socket but not in its \"error\" handler"
  socket.on('end', () => forget());
  socket.on('error', () => socket.destroy());
}).listen(9000);

// Deleted on 'close', which comes on every path.
const peers = new Set();
net.createServer((socket) => {
  const forget = () => peers.delete(socket);
  peers.add(socket);
  socket.on('close', () => forget());
  socket.on('error', () => socket.destroy());
}).listen(9001);
