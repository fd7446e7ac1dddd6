using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TaobaoAlliance.Browser.Tests.Infrastructure;

/// <summary>
/// A webmaster's website, served by the test on 127.0.0.1: its home page carries whatever HTML the test
/// puts there (e.g. the verification meta tag), so "verify now" fetches a real page over real HTTP.
/// </summary>
public sealed class LocalTestSite : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();

    public LocalTestSite()
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        _ = ServeAsync();
    }

    public Uri Url { get; }

    public string HomePage { get; set; } = "<!DOCTYPE html><html><head><title>Test site</title></head><body>Hello</body></html>";

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            var body = Encoding.UTF8.GetBytes(HomePage);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }
}
