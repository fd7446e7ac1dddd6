using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace TaobaoAlliance.Attribution.Cpc;

/// <summary>What a served ad promises its click: which campaign, zone and item, which impression, at what price, until when.</summary>
public sealed record ClickTicket(long CampaignId, long ZoneId, long ItemId, Guid ImpressionId, Money Price, DateTimeOffset ExpiresAt);

public enum TicketCheck { Valid, Expired, Forged }

/// <summary>
/// The signed, expiring token in a served ad's click URL. Layout: version (1 byte), campaign, zone,
/// item (8 bytes each), impression id (16), price in fen (8), expiry in Unix seconds (8), then the first
/// 16 bytes of HMAC-SHA256 over all of that; base64url. Every field is covered by the MAC, so changing
/// any byte (say, the price or the zone) makes the token forged; the expiry is checked against the
/// caller's clock; a replay within the lifetime is stopped by the impression id being paid only once.
/// </summary>
public sealed class ClickTokens
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 8 + 8 + 8 + 16 + 8 + 8;
    private const int MacLength = 16;

    private readonly byte[] key;

    public ClickTokens(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32) throw new ArgumentException("The token key needs at least 32 bytes.", nameof(key));
        this.key = key;
    }

    public string Issue(ClickTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        Span<byte> token = stackalloc byte[PayloadLength + MacLength];
        var payload = token[..PayloadLength];
        payload[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(payload[1..], ticket.CampaignId);
        BinaryPrimitives.WriteInt64BigEndian(payload[9..], ticket.ZoneId);
        BinaryPrimitives.WriteInt64BigEndian(payload[17..], ticket.ItemId);
        ticket.ImpressionId.TryWriteBytes(payload[25..41], bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(payload[41..], ticket.Price.Fen);
        BinaryPrimitives.WriteInt64BigEndian(payload[49..], ticket.ExpiresAt.ToUnixTimeSeconds());
        Mac(payload, token[PayloadLength..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>
    /// Reads a token. <paramref name="ticket"/> is what the token says — trustworthy only when the answer
    /// is <see cref="TicketCheck.Valid"/> or <see cref="TicketCheck.Expired"/>; for a forged token it is
    /// whatever could be parsed (null if nothing), good for nothing but sending the shopper somewhere harmless.
    /// </summary>
    public TicketCheck Check(string? token, DateTimeOffset now, out ClickTicket? ticket)
    {
        ticket = null;
        if (string.IsNullOrEmpty(token) || token.Length > 128) return TicketCheck.Forged;
        Span<byte> bytes = stackalloc byte[96];
        // TryDecode throws (rather than answering false) on characters outside the alphabet.
        if (!Base64Url.IsValid(token) || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != PayloadLength + MacLength) return TicketCheck.Forged;
        var payload = bytes[..PayloadLength];
        if (payload[0] != Version) return TicketCheck.Forged;
        ticket = new ClickTicket(
            BinaryPrimitives.ReadInt64BigEndian(payload[1..]),
            BinaryPrimitives.ReadInt64BigEndian(payload[9..]),
            BinaryPrimitives.ReadInt64BigEndian(payload[17..]),
            new Guid(payload[25..41], bigEndian: true),
            new Money(BinaryPrimitives.ReadInt64BigEndian(payload[41..])),
            DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(BinaryPrimitives.ReadInt64BigEndian(payload[49..]), 0, 253_402_300_799)));

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(payload, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.Slice(PayloadLength, MacLength))) return TicketCheck.Forged;
        return now < ticket.ExpiresAt ? TicketCheck.Valid : TicketCheck.Expired;
    }

    private void Mac(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, payload, full);
        full[..MacLength].CopyTo(destination);
    }
}
