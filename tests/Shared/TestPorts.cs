using System.Net;
using System.Net.Sockets;

namespace DangVu.Testing;

/// <summary>
/// Free loopback ports for test servers, taken below the kernel's ephemeral range (32768–60999 here): a
/// port the OS hands out with bind(0) is also what it gives the next outgoing connection (an HTTP client,
/// a PostgreSQL session), so between the check and the server's own bind it could be taken, and the server
/// then failed with "address already in use". Each test process walks its own random stretch of the range.
/// </summary>
internal static class TestPorts
{
    private const int First = 20000;
    private const int Count = 12000;

    private static int _next = Random.Shared.Next(Count);

    public static int Free()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use (another test process, a server of this one): the next.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count - 1}.");
    }
}
