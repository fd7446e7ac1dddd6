using System.Net;
using System.Net.Sockets;

namespace TaobaoAlliance.Testing;

/// <summary>
/// A TCP relay in front of the test PostgreSQL, so a test can take the database away from the app and
/// give it back — as a restart or a failover would — while PostgreSQL itself keeps serving other tests.
/// <see cref="Cut"/> closes the port and every relayed connection; <see cref="Open"/> listens again on the same port.
/// </summary>
public sealed class TcpRelay : IDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;

    public TcpRelay(string targetHost, int targetPort)
    {
        target = new IPEndPoint(Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork), targetPort);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Open();
    }

    public int Port { get; }

    public void Open()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        _ = AcceptAsync(listener);
    }

    public void Cut()
    {
        listener?.Stop();
        listener = null;
        lock (connections)
        {
            foreach (var connection in connections) connection.Dispose();
            connections.Clear();
        }
    }

    public void Dispose() => Cut();

    private async Task AcceptAsync(TcpListener from)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await from.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // cut
            }
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(target);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (connections)
            {
                connections.Add(client);
                connections.Add(server);
            }
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        from.Dispose();
        to.Dispose();
    }
}
