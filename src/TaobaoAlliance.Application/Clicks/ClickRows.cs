using Npgsql;
using NpgsqlTypes;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Many click rows in one statement: one array per column, unnested into <c>clicks</c>. One statement also means the
/// rollup trigger (a statement trigger) runs once for the lot, where EF Core's one INSERT per row would run it per click.
/// Used by the <see cref="ClickWriter"/> (prepared once on its own connection) and by the campaign grain's batch (inside
/// its transaction).
/// </summary>
public static class ClickRows
{
    private const string InsertSql =
        "INSERT INTO clicks (id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash, "
        + "user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id, sub1, sub2, sub3, sub4, sub5) "
        + "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";

    /// <summary>The element types of the statement's arrays, in its column order.</summary>
    private static readonly NpgsqlDbType[] ColumnTypes =
    [
        NpgsqlDbType.Uuid, NpgsqlDbType.TimestampTz, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint,
        NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Uuid, NpgsqlDbType.Bytea, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar,
        NpgsqlDbType.Boolean, NpgsqlDbType.Varchar, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Bigint,
        NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar,
    ];

    /// <summary>The insert, its parameters typed and unbound: <see cref="Bind"/> gives it its rows.</summary>
    public static NpgsqlCommand InsertCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        var command = new NpgsqlCommand(InsertSql, connection, transaction);
        foreach (var type in ColumnTypes) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type });
        return command;
    }

    /// <summary>Sets the command's arrays to <paramref name="clicks"/>.</summary>
    public static void Bind(NpgsqlCommand command, IReadOnlyList<Click> clicks)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(clicks);
        var n = clicks.Count;
        var id = new Guid[n]; var occurredAt = new DateTime[n]; var linkId = new long?[n]; var webmasterId = new long[n];
        var siteId = new long[n]; var zoneId = new long[n]; var itemId = new long[n]; var shopId = new long[n];
        var visitorId = new Guid[n]; var ipHash = new byte[n][]; var userAgent = new string?[n]; var referrer = new string?[n];
        var isValid = new bool[n]; var invalidReason = new string?[n]; var itemRateBp = new int[n]; var shopRateBp = new int[n];
        var campaignId = new long?[n];
        var sub1 = new string?[n]; var sub2 = new string?[n]; var sub3 = new string?[n]; var sub4 = new string?[n]; var sub5 = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var click = clicks[i];
            id[i] = click.Id; occurredAt[i] = click.OccurredAt.UtcDateTime; linkId[i] = click.LinkId; webmasterId[i] = click.WebmasterId;
            siteId[i] = click.SiteId; zoneId[i] = click.ZoneId; itemId[i] = click.ItemId; shopId[i] = click.ShopId;
            visitorId[i] = click.VisitorId; ipHash[i] = click.IpHash; userAgent[i] = click.UserAgent; referrer[i] = click.Referrer;
            isValid[i] = click.IsValid; invalidReason[i] = click.InvalidReason; itemRateBp[i] = click.ItemRateBp; shopRateBp[i] = click.ShopRateBp;
            campaignId[i] = click.CampaignId;
            sub1[i] = click.Sub1; sub2[i] = click.Sub2; sub3[i] = click.Sub3; sub4[i] = click.Sub4; sub5[i] = click.Sub5;
        }
        object[] values = [id, occurredAt, linkId, webmasterId, siteId, zoneId, itemId, shopId, visitorId, ipHash, userAgent, referrer,
            isValid, invalidReason, itemRateBp, shopRateBp, campaignId, sub1, sub2, sub3, sub4, sub5];
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
    }
}
