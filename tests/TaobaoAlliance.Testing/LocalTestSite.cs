using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using TaobaoAlliance.Application.Sites;

namespace TaobaoAlliance.Testing;

/// <summary>What the test site answers to one request.</summary>
public sealed record TestResponse(int Status, string Body, string? Location = null);

/// <summary>
/// A webmaster's website for the ownership check: a tiny HTTP/1.1 server on a real socket (the site fetcher
/// makes real connections), on a random port of the given local address. Each request gets one answer and
/// the connection is closed.
/// </summary>
public sealed class LocalTestSite : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private LocalTestSite(IPAddress address, Func<string, TestResponse> respond)
    {
        Respond = respond;
        listener = new TcpListener(address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        BaseUrl = new Uri($"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{port}/");
        loop = Task.Run(AcceptAsync);
    }

    /// <summary>The home page's address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The answer to a request for a path; tests may swap it while the site runs.</summary>
    public Func<string, TestResponse> Respond { get; set; }

    /// <summary>The paths requested so far.</summary>
    public List<string> Requests { get; } = [];

    public static LocalTestSite Start(Func<string, TestResponse> respond, IPAddress? address = null) =>
        new(address ?? IPAddress.Loopback, respond);

    /// <summary>A site whose home page is this HTML.</summary>
    public static LocalTestSite Serving(string html) => Start(_ => new TestResponse(200, html));

    public static string HomePage(string headExtra) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>My blog</title>{headExtra}</head><body><h1>My blog</h1></body></html>";

    /// <summary>
    /// An address of this machine that the fetcher counts as public (so a first request to it is allowed even when
    /// private addresses are not), or null. Test machines often have none: their interfaces are all private.
    /// </summary>
    public static IPAddress? PublicLookingLocalAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && SiteFetcher.IsPublic(a));

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0) return;
                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                var path = head.ToString().Split(' ', 3)[1];
                lock (Requests) Requests.Add(path);
                var answer = Respond(path);
                var body = Encoding.UTF8.GetBytes(answer.Body);
                var response = new StringBuilder()
                    .Append(System.Globalization.CultureInfo.InvariantCulture, $"HTTP/1.1 {answer.Status} {(answer.Status == 200 ? "OK" : "Status")}\r\n")
                    .Append("Content-Type: text/html; charset=utf-8\r\n")
                    .Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
                    .Append(answer.Location is null ? "" : $"Location: {answer.Location}\r\n")
                    .Append("Connection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()), stop.Token);
                await stream.WriteAsync(body, stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The fetcher hung up (size cap, timeout): nothing to answer.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}
