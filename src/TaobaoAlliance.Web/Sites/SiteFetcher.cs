using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace TaobaoAlliance.Web.Sites;

/// <summary>Limits of the ownership check's fetch of a webmaster's home page.</summary>
public sealed class SiteFetchOptions
{
    public const string Section = "SiteFetch";

    [Range(1, 60)] public int TimeoutSeconds { get; set; } = 10;
    [Range(1_024, 5_000_000)] public int MaxBytes { get; set; } = 512 * 1024;
    [Range(0, 10)] public int MaxRedirects { get; set; } = 3;

    /// <summary>Allows loopback and private addresses: for development and tests only (a local test site).</summary>
    public bool AllowPrivateAddresses { get; set; }
}

/// <summary>The home page as fetched, or why it could not be.</summary>
public sealed record FetchResult(string? Html, string? Error);

/// <summary>Fetches a site's home page for the ownership check. The seam tests replace when they need to.</summary>
public interface ISiteFetcher
{
    Task<FetchResult> FetchAsync(Uri url, CancellationToken ct);
}

/// <summary>
/// Fetches over HTTP(S) with a timeout and a size cap, following a few redirects by hand. Every
/// connection is checked at connect time against loopback, private, link-local and other internal
/// addresses — after DNS resolution, so a name that resolves (or re-resolves) inward is refused too.
/// </summary>
public sealed class SiteFetcher : ISiteFetcher, IDisposable
{
    private readonly HttpClient client;
    private readonly SiteFetchOptions options;

    public SiteFetcher(IOptions<SiteFetchOptions> options)
    {
        this.options = options.Value;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(this.options.TimeoutSeconds),
            ConnectCallback = ConnectAsync,
        };
        client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(this.options.TimeoutSeconds) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("TaobaoAllianceSiteVerifier/1.0 (+ownership check)");
    }

    public async Task<FetchResult> FetchAsync(Uri url, CancellationToken ct)
    {
        for (var hop = 0; hop <= options.MaxRedirects; hop++)
        {
            if (url.Scheme is not ("http" or "https")) return new(null, "Only http and https addresses can be checked.");
            HttpResponseMessage response;
            try
            {
                response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException e) when (e.InnerException is BlockedAddressException blocked)
            {
                return new(null, blocked.Message);
            }
            catch (HttpRequestException e)
            {
                return new(null, $"The site could not be reached ({e.Message}).");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return new(null, $"The site did not answer within {options.TimeoutSeconds} seconds.");
            }
            using (response)
            {
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode) return new(null, $"The home page answered {(int)response.StatusCode}.");
                return await ReadCappedAsync(response, ct);
            }
        }
        return new(null, $"Too many redirects (more than {options.MaxRedirects}).");
    }

    private async Task<FetchResult> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[options.MaxBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        // A page larger than the cap is read up to the cap: the meta tag belongs in the <head> anyway.
        return new(Encoding.UTF8.GetString(buffer, 0, total), null);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
        var allowed = addresses.Where(a => options.AllowPrivateAddresses || IsPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new BlockedAddressException($"{context.DnsEndPoint.Host} resolves to an internal address, which cannot be checked.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>False for loopback, private, link-local, CGNAT, multicast, unspecified and unique-local addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10
            || b[0] == 0
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || b[0] >= 224);
    }

    public void Dispose() => client.Dispose();

    private sealed class BlockedAddressException(string message) : Exception(message);
}
