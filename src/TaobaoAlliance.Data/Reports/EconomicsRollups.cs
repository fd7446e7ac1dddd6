using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Reports;

// The admin's traffic economics (migration TrafficEconomicsRollups) read these, never cpc_charges or commissions.
// cpc_day_zones: an AFTER INSERT statement trigger on cpc_charges (with its transition table, so the campaign grain's
// one-statement batch runs it once) adds the batch's paid clicks and money; ImpressionFlusher adds impressions in the
// same statement shape. Rows are sharded like the click rollups (RollupShards: the writer's backend pid modulo 16),
// so concurrent grains and flushers never queue on one hot row. commission_day_sites: a row trigger on commissions
// (beside SaleRollups' own) keeps the CPS fee and the subsidy per site, at what each commission is worth now.

/// <summary>
/// CPC traffic of a China day per site, zone and campaign: impressions served, paid (charged) clicks, what the platform
/// bought from the webmaster (their share), sold to the seller (the price) and kept (the margin).
/// </summary>
public sealed class CpcDayZone
{
    /// <summary>Which of the key's rows (see <see cref="RollupShards"/>).</summary>
    public short Shard { get; set; }
    public DateOnly Day { get; set; }
    public long SiteId { get; set; }
    public long ZoneId { get; set; }
    public long CampaignId { get; set; }
    public long Impressions { get; set; }
    public long PaidClicks { get; set; }
    /// <summary>The webmasters' share of the paid clicks (what the platform buys traffic for).</summary>
    public decimal BoughtFen { get; set; }
    /// <summary>What the sellers paid for the clicks.</summary>
    public decimal SoldFen { get; set; }
    public decimal MarginFen { get; set; }
}

/// <summary>What a site's commissions are worth now (Pending and Settled) by the China day of the order's payment: the CPS fee and the subsidy.</summary>
public sealed class CommissionDaySite
{
    public DateOnly Day { get; set; }
    public long SiteId { get; set; }
    public decimal PlatformFeeFen { get; set; }
    public decimal SubsidyFen { get; set; }
}

internal sealed class CpcDayZoneConfiguration : IEntityTypeConfiguration<CpcDayZone>
{
    public void Configure(EntityTypeBuilder<CpcDayZone> b)
    {
        b.ToTable("cpc_day_zones");
        // Key order is the lock order of the trigger's and the flusher's upserts; the page reads a day range by its prefix.
        b.HasKey(r => new { r.Day, r.SiteId, r.ZoneId, r.CampaignId, r.Shard });
    }
}

internal sealed class CommissionDaySiteConfiguration : IEntityTypeConfiguration<CommissionDaySite>
{
    public void Configure(EntityTypeBuilder<CommissionDaySite> b)
    {
        b.ToTable("commission_day_sites");
        b.HasKey(r => new { r.Day, r.SiteId });
    }
}

/// <summary>The triggers and rebuild of the economics rollups (migration TrafficEconomicsRollups; bench/generate.sql calls the rebuild).</summary>
public static class EconomicsRollupsSql
{
    /// <summary>
    /// The upsert of a set of charges (<paramref name="source"/>: a transition table, or cpc_charges) with
    /// <paramref name="sign"/> into <paramref name="shard"/>: paid (Charged) clicks only, rows in key order so concurrent
    /// statements lock them in one order.
    /// </summary>
    private static string Charges(string source, string sign, string shard) => $"""
        INSERT INTO cpc_day_zones AS r (day, site_id, zone_id, campaign_id, shard, impressions, paid_clicks, bought_fen, sold_fen, margin_fen)
        SELECT n.day, z.site_id, n.zone_id, n.campaign_id, {shard}, 0, {sign} * count(*), {sign} * sum(n.webmaster_share_fen), {sign} * sum(n.price_fen), {sign} * sum(n.platform_margin_fen)
        FROM {source} n JOIN ad_zones z ON z.id = n.zone_id
        WHERE n.outcome = 'Charged'
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, site_id, zone_id, campaign_id, shard) DO UPDATE SET paid_clicks = r.paid_clicks + excluded.paid_clicks,
            bought_fen = r.bought_fen + excluded.bought_fen, sold_fen = r.sold_fen + excluded.sold_fen, margin_fen = r.margin_fen + excluded.margin_fen;
        """;

    private static readonly string SessionShard = $"(pg_backend_pid() % {RollupShards.Count})::smallint";

    public static readonly string Up = $$"""
        -- A statement's charges, once per statement (the campaign grain writes a batch in one INSERT ... unnest).
        CREATE FUNCTION add_cpc_charges_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
        {{Charges("old_charges", "-1", SessionShard)}}
            END IF;
        {{Charges("new_charges", "1", SessionShard)}}
            RETURN NULL;
        END $fn$;
        CREATE TRIGGER cpc_charges_add_to_rollups AFTER INSERT ON cpc_charges REFERENCING NEW TABLE AS new_charges
            FOR EACH STATEMENT EXECUTE FUNCTION add_cpc_charges_to_rollups();
        -- A void or correction of charges moves their money out of (and back into) the rollup.
        CREATE TRIGGER cpc_charges_move_in_rollups AFTER UPDATE ON cpc_charges REFERENCING OLD TABLE AS old_charges NEW TABLE AS new_charges
            FOR EACH STATEMENT EXECUTE FUNCTION add_cpc_charges_to_rollups();

        -- A commission's CPS fee and subsidy at what they are worth now (commission_worth, migration SaleRollups) on its
        -- site by the China day of its order's payment, while Pending or Settled: counted (sign 1) or taken out (-1).
        CREATE FUNCTION add_commission_to_site_rollup(c commissions, sign int) RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE w record;
        BEGIN
            IF c.state IN ('Pending', 'Settled') THEN
                SELECT * INTO w FROM commission_worth(c);
                INSERT INTO commission_day_sites AS r (day, site_id, platform_fee_fen, subsidy_fen)
                VALUES ((c.created_at AT TIME ZONE INTERVAL '8 hours')::date, c.site_id, sign * w.platform_fee_fen, sign * w.subsidy_fen)
                ON CONFLICT (day, site_id) DO UPDATE SET platform_fee_fen = r.platform_fee_fen + excluded.platform_fee_fen,
                    subsidy_fen = r.subsidy_fen + excluded.subsidy_fen;
            END IF;
        END $fn$;
        CREATE FUNCTION commissions_to_site_rollup() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'UPDATE' THEN PERFORM add_commission_to_site_rollup(OLD, -1); END IF;
            PERFORM add_commission_to_site_rollup(NEW, 1);
            RETURN NULL;
        END $fn$;
        CREATE TRIGGER commissions_add_to_site_rollup AFTER INSERT OR UPDATE ON commissions
            FOR EACH ROW EXECUTE FUNCTION commissions_to_site_rollup();

        -- From scratch (the backfill below, and bench/generate.sql after a load with the triggers off). Impressions were
        -- only ever counted per campaign before this migration, so they start at zero; the rebuild keeps those counted since.
        CREATE FUNCTION rebuild_economics_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            LOCK TABLE cpc_charges, commissions IN SHARE MODE;
            UPDATE cpc_day_zones SET paid_clicks = 0, bought_fen = 0, sold_fen = 0, margin_fen = 0;
        {{Charges("cpc_charges", "1", "0::smallint")}}
            TRUNCATE commission_day_sites;
            INSERT INTO commission_day_sites (day, site_id, platform_fee_fen, subsidy_fen)
            SELECT (m.created_at AT TIME ZONE INTERVAL '8 hours')::date, m.site_id, sum(w.platform_fee_fen), sum(w.subsidy_fen)
            FROM commissions m CROSS JOIN LATERAL commission_worth(m) w
            WHERE m.state IN ('Pending', 'Settled') GROUP BY 1, 2;
        END $fn$;
        SELECT rebuild_economics_rollups();
        """;

    public const string Down = """
        DROP TRIGGER cpc_charges_add_to_rollups ON cpc_charges;
        DROP TRIGGER cpc_charges_move_in_rollups ON cpc_charges;
        DROP TRIGGER commissions_add_to_site_rollup ON commissions;
        DROP FUNCTION rebuild_economics_rollups();
        DROP FUNCTION add_cpc_charges_to_rollups();
        DROP FUNCTION commissions_to_site_rollup();
        DROP FUNCTION add_commission_to_site_rollup(commissions, int);
        """;
}
