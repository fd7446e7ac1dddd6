using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace TaobaoAlliance.Application.Sites;

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
            // A proxy (HTTP_PROXY, the system's) would connect for us: the address check below would then
            // see the proxy, not the site, and an internal proxy would reach anything.
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(this.options.TimeoutSeconds),
            ConnectCallback = ConnectAsync,
        };
        client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(this.options.TimeoutSeconds) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("TaobaoAllianceSiteVerifier/1.0 (+ownership check)");
    }

    /// <summary>
    /// The one answer for a site that could not be reached, whatever the reason (refused, reset, timed out,
    /// no such host): different texts would let a webmaster map which internal ports are open.
    /// </summary>
    public const string Unreachable = "The site could not be reached. Check the address and that the site is online.";

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
            catch (HttpRequestException)
            {
                return new(null, Unreachable);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return new(null, Unreachable);
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

    /// <summary>
    /// False for loopback, private, link-local, CGNAT, multicast, unspecified, reserved and unique-local
    /// addresses — also when they hide inside an IPv6 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4),
    /// which the network would deliver to the IPv4 address. Teredo and local-use NAT64 are never public.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            // Teredo (2001:0::/32) tunnels to an address we cannot check; local-use NAT64 (64:ff9b:1::/48, RFC 8215)
            // translates inside the operator's own network, with an embedding we cannot know.
            if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0 && v6[3] == 0) return false;
            if (StartsWith(v6, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01])) return false;
            if (EmbeddedIPv4(v6) is { } inner) address = inner;
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10
            || b[0] == 0
            || b[0] == 127
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
            || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || b[0] >= 224);
    }

    /// <summary>The IPv4 address an IPv6 address carries: ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d, 2002:AABB:CCDD::.</summary>
    private static IPAddress? EmbeddedIPv4(byte[] v6)
    {
        ReadOnlySpan<byte> tenZeros = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var last4 = v6.AsSpan(12, 4);
        if (v6.AsSpan(0, 10).SequenceEqual(tenZeros))
        {
            if (v6[10] == 0xff && v6[11] == 0xff) return new IPAddress(last4); // IPv4-mapped
            if (v6[10] == 0 && v6[11] == 0)
            {
                // IPv4-compatible (deprecated); :: and ::1 are IPv6's own unspecified and loopback addresses.
                var isUnspecifiedOrLoopback = last4[0] == 0 && last4[1] == 0 && last4[2] == 0 && last4[3] <= 1;
                return isUnspecifiedOrLoopback ? null : new IPAddress(last4);
            }
        }
        if (StartsWith(v6, [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0])) return new IPAddress(last4); // IPv4-translated, RFC 2765
        if (StartsWith(v6, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) return new IPAddress(last4); // NAT64 well-known prefix, RFC 6052
        if (v6[0] == 0x20 && v6[1] == 0x02) return new IPAddress(v6.AsSpan(2, 4)); // 6to4, RFC 3056
        return null;
    }

    private static bool StartsWith(byte[] bytes, ReadOnlySpan<byte> prefix) => bytes.AsSpan().StartsWith(prefix);

    public void Dispose() => client.Dispose();

    private sealed class BlockedAddressException(string message) : Exception(message);
}
