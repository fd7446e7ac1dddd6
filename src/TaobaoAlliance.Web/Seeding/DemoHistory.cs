using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Hosting;

namespace TaobaoAlliance.Web.Seeding;

/// <summary>What one history run did (all zero when the history was already there).</summary>
public sealed record DemoHistoryRun(bool Generated, long Clicks, int OrderEvents, int PaidClicks, long PayoutFen);

/// <summary>
/// Gives the demo a past (issue 15): <see cref="DatabaseOptions.HistoryDays"/> China days of link clicks, orders,
/// confirmations, refunds, settlements, CPC charges and one paid payout, for the demo accounts the seeds made.
/// Only the clicks are generated in SQL (one <c>INSERT … SELECT generate_series</c>, the rollup triggers count them);
/// everything that moves money goes through the real use cases with a clock moved back in time —
/// <see cref="OrderEventProcessor"/> for paid/confirmed/refunded, <see cref="OrderLifecycle"/> for auto-confirmation and
/// settlement, <see cref="CampaignChargeWriter"/> for paid clicks, <see cref="PayoutService"/> for the payout — so the
/// ledger, the rollups and every report agree because they were written the way the live app writes them, and they
/// follow any change to those rules. Deterministic (every choice is a hash of a fixed seed), idempotent (the opening
/// deposit's idempotency key marks a history already made), and a few seconds long.
/// </summary>
public sealed class DemoHistory(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    TimeProvider clock,
    ILogger<DemoHistory> logger)
{
    /// <summary>The idempotency key of the first opening deposit: present means the history was made.</summary>
    public const string MarkerPrefix = "seed:history:deposit:";

    /// <summary>Buyers of the demo orders: a small pool, so customers come back and the cohorts have repeat revenue.</summary>
    private const int BuyerPool = 90;

    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
    private const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    public async Task<DemoHistoryRun> GenerateAsync(CancellationToken ct = default)
    {
        var days = options.Value.HistoryDays;
        var now = clock.GetUtcNow();
        var today = ChinaTime.DayOf(now);
        var firstDay = today.AddDays(-(days - 1));
        var start = ChinaTime.StartOf(firstDay);
        var demoClock = new MovedClock(start.AddDays(-1));
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        Facts facts;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AllianceDbContext>();
            if (await db.JournalEntries.AnyAsync(e => e.IdempotencyKey.StartsWith(MarkerPrefix), ct))
            {
                logger.LogInformation("Demo history already present; nothing added");
                return new(false, 0, 0, 0, 0);
            }
            facts = await Facts.LoadAsync(db, ct);
            if (facts.Links.Count == 0) return new(false, 0, 0, 0, 0);
            var ledger = ActivatorUtilities.CreateInstance<LedgerWriter>(scope.ServiceProvider, demoClock);
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await BackdateAsync(db, start.AddDays(-1), ct);
            // The sellers had money before their first paid click: opening deposits on the day before the history.
            foreach (var seller in facts.SellerIds)
            {
                await ledger.PostAsync(Postings.Deposit(seller, new Money(2_000_000), MarkerPrefix + seller), ct: ct);
            }
            await InsertClicksAsync(db, start, now, days, ct);
            await transaction.CommitAsync(ct);
        }

        var clicks = await CountAsync("SELECT count(*) AS \"Value\" FROM clicks", ct);
        var plan = new OrderPlan(facts);
        var clickers = facts.Campaigns.ToDictionary(c => c.Id, _ => new RecentClickers());
        var (events, paidClicks, payout) = (0, 0, 0L);
        for (var day = firstDay; day <= today; day = day.AddDays(1))
        {
            var dayStart = ChinaTime.StartOf(day);
            var dayEnd = day == today ? now : dayStart.AddDays(1).AddSeconds(-1);
            await using var scope = scopes.CreateAsyncScope();
            var sp = scope.ServiceProvider;
            var db = sp.GetRequiredService<AllianceDbContext>();
            var ledger = ActivatorUtilities.CreateInstance<LedgerWriter>(sp, demoClock);
            var processor = ActivatorUtilities.CreateInstance<OrderEventProcessor>(sp, ledger, demoClock);

            // One payout, three weeks back: asked for in the morning, approved by the admin in the afternoon. Available money
            // only moves at the day's end (paid clicks, settlement), so what is available then is what the day began with.
            if (day == today.AddDays(-20) && facts.AdminUserId is { } admin)
            {
                payout = await PayOutAsync(sp, db, ledger, demoClock, facts, dayStart, admin, ct);
            }

            // The day's orders: from its valid link clicks (they carry attribution), plus returning buyers who come back without one.
            var winners = await db.Database.SqlQuery<WinningClick>($"""
                SELECT id, occurred_at, visitor_id, item_id, shop_id
                FROM clicks
                WHERE occurred_at >= {dayStart} AND occurred_at <= {dayEnd} AND is_valid AND campaign_id IS NULL
                ORDER BY md5(id::text) LIMIT {3 + Hash("orders", day.DayNumber) % 4}
                """).ToListAsync(ct);
            plan.AddDay(day, dayStart, dayEnd, winners);

            foreach (var command in plan.Due(dayEnd))
            {
                demoClock.Set(command.OccurredAt.AddSeconds(1) < dayEnd ? command.OccurredAt.AddSeconds(1) : dayEnd);
                var outcome = await processor.ProcessAsync(command, ct);
                if (!outcome.Succeeded)
                {
                    throw new InvalidOperationException($"Demo order event {command.Event} {command.ExternalOrderId} refused: {outcome.Refusal} {outcome.Detail}");
                }
                plan.Applied(command, outcome.Result!);
                events++;
            }

            demoClock.Set(dayEnd);
            var charges = ActivatorUtilities.CreateInstance<CampaignChargeWriter>(sp, ledger);
            foreach (var campaign in facts.Campaigns)
            {
                var paid = PaidClicks(facts, campaign, day, dayStart, dayEnd);
                if (paid.Count == 0) continue;
                await charges.WriteAsync(campaign.Id, day, paid, clickers[campaign.Id]);
                paidClicks += paid.Count;
            }

            var lifecycle = ActivatorUtilities.CreateInstance<OrderLifecycle>(sp, ledger, demoClock);
            await lifecycle.RunOnceAsync(ct);
            // Paid clicks' shares leave the CPC hold as they would have day by day.
            await ActivatorUtilities.CreateInstance<CpcHoldRelease>(sp, ledger, demoClock).RunOnceAsync(ct);
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            // Impressions are counters only (ImpressionFlusher): a click-through rate of 4 % for the paid clicks.
            await scope.ServiceProvider.GetRequiredService<AllianceDbContext>().Database.ExecuteSqlAsync(
                $"UPDATE campaigns SET impressions = GREATEST(impressions, clicks * 25)", ct);
        }
        logger.LogInformation("Demo history of {Days} days in {Seconds:0.0} s: {Clicks} clicks, {Events} order events, {PaidClicks} paid clicks, payout {Payout} fen",
            days, elapsed.Elapsed.TotalSeconds, clicks, events, paidClicks, payout);
        return new(true, clicks, events, paidClicks, payout);
    }

    private async Task<long> CountAsync(string sql, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
#pragma warning disable EF1002 // constant SQL
        return await scope.ServiceProvider.GetRequiredService<AllianceDbContext>().Database.SqlQueryRaw<long>(sql).SingleAsync(ct);
#pragma warning restore EF1002
    }

    /// <summary>The demo accounts, sites, links and campaigns existed before the history starts.</summary>
    private static async Task BackdateAsync(AllianceDbContext db, DateTimeOffset at, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            UPDATE users SET created_at = LEAST(created_at, {at});
            UPDATE webmasters SET created_at = LEAST(created_at, {at});
            UPDATE sellers SET created_at = LEAST(created_at, {at});
            UPDATE shops SET created_at = LEAST(created_at, {at});
            UPDATE sites SET created_at = LEAST(created_at, {at}), verified_at = LEAST(verified_at, {at});
            UPDATE site_reviews SET at = LEAST(at, {at});
            UPDATE ad_zones SET created_at = LEAST(created_at, {at});
            UPDATE links SET created_at = LEAST(created_at, {at});
            UPDATE campaigns SET created_at = LEAST(created_at, {at}), starts_at = LEAST(starts_at, {at});
            """, ct);
    }

    /// <summary>
    /// The link clicks, set-based: slots every 30 s of the history over the demo links, about two in three kept (fewer at
    /// night and at weekends, growing over the period), 3 % invalid by the click rules' reasons. Each copies its link's
    /// webmaster, site, zone, item, shop and rates; ids are UUIDv7 of the click's time, as the click path makes them.
    /// </summary>
    private static async Task InsertClicksAsync(AllianceDbContext db, DateTimeOffset start, DateTimeOffset now, int days, CancellationToken ct)
    {
        var (firstDay, lastDay) = (ChinaTime.DayOf(start).AddDays(-1), ChinaTime.DayOf(now).AddDays(7));
        await db.Database.ExecuteSqlAsync($"SELECT ensure_click_partitions({firstDay}, {lastDay})", ct);
        var slots = days * 2880;
        await db.Database.ExecuteSqlAsync($"""
            WITH l AS (
                SELECT row_number() OVER (ORDER BY l.id) - 1 AS n, count(*) OVER () AS k,
                       l.id AS link_id, l.webmaster_id, l.site_id, l.zone_id, l.item_id, i.shop_id,
                       coalesce(i.commission_rate_bp, 0) AS item_rate_bp, sh.general_rate_bp AS shop_rate_bp, s.url AS referrer
                FROM links l JOIN items i ON i.id = l.item_id JOIN shops sh ON sh.id = i.shop_id JOIN sites s ON s.id = l.site_id
                WHERE NOT l.is_paused AND s.state = 'Approved')
            INSERT INTO clicks (id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash,
                                user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id)
            SELECT (lpad(to_hex((extract(epoch FROM c.at) * 1000)::bigint), 12, '0') || '7' || substr(c.h, 1, 3) || '8' || substr(c.h, 4, 15))::uuid,
                   c.at, l.link_id, l.webmaster_id, l.site_id, l.zone_id, l.item_id, l.shop_id,
                   md5('demo-visitor' || c.r % 40000)::uuid, sha256(convert_to('demo-ip' || c.r % 25000, 'UTF8')),
                   CASE WHEN c.r % 100 = 7 THEN 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)'
                        WHEN c.r % 2 = 0 THEN {Phone} ELSE {Browser} END,
                   l.referrer, c.r % 100 NOT IN (7, 8, 9),
                   CASE WHEN c.r % 100 = 7 THEN {InvalidClickReasons.BotUserAgent} WHEN c.r % 100 IN (8, 9) THEN {InvalidClickReasons.IpRateLimit} END,
                   l.item_rate_bp, l.shop_rate_bp, NULL
            FROM generate_series(0, {slots} - 1) g
            CROSS JOIN LATERAL (SELECT {start} + make_interval(secs => g * 30 + (('x' || substr(md5('demo-click-at' || g), 1, 4))::bit(16)::int % 30)) AS at,
                                       md5('demo-click' || g) AS h,
                                       ('x' || substr(md5('demo-click' || g), 20, 8))::bit(32)::int & 2147483647 AS r) c
            JOIN l ON l.n = c.r / 7 % l.k
            WHERE c.at <= {now}
              AND c.r % 1000 < 450 + 350 * g / {slots}
                  - CASE WHEN extract(hour FROM c.at AT TIME ZONE 'Asia/Shanghai') < 7 THEN 300 ELSE 0 END
                  - CASE WHEN extract(isodow FROM c.at AT TIME ZONE 'Asia/Shanghai') >= 6 THEN 100 ELSE 0 END
            """, ct);
    }

    /// <summary>A day's paid clicks on one campaign's smart-zone ads, with the auction's price at or below the bid.</summary>
    private static List<PaidClick> PaidClicks(Facts facts, Facts.CampaignFact campaign, DateOnly day, DateTimeOffset dayStart, DateTimeOffset dayEnd)
    {
        var result = new List<PaidClick>();
        if (facts.SmartZones.Count == 0 || campaign.Items.Count == 0) return result;
        var count = 12 + Hash("cpc", campaign.Id, day.DayNumber) % 20;
        var seconds = (int)Math.Max(1, (dayEnd - dayStart).TotalSeconds);
        for (var n = 0; n < count; n++)
        {
            var at = dayStart.AddSeconds(Hash("cpc-at", campaign.Id, day.DayNumber, n) % seconds);
            var zone = facts.SmartZones[Hash("cpc-zone", campaign.Id, day.DayNumber, n) % facts.SmartZones.Count];
            var item = campaign.Items[Hash("cpc-item", campaign.Id, day.DayNumber, n) % campaign.Items.Count];
            var visitor = Hash("cpc-visitor", campaign.Id, day.DayNumber, n) % 400; // some come back within a day: free repeats
            var price = Math.Max(5, campaign.BidFen - Hash("cpc-price", campaign.Id, day.DayNumber, n) % Math.Max(1, campaign.BidFen / 3));
            result.Add(new PaidClick(
                DeterministicV7(at, $"cpc-click:{campaign.Id}:{day.DayNumber}:{n}"), at, zone.WebmasterId, zone.SiteId, zone.ZoneId,
                item.ItemId, item.ShopId, Uuid($"cpc-visitor:{visitor}"), SHA256.HashData(Encoding.UTF8.GetBytes($"cpc-ip:{visitor}")),
                visitor % 2 == 0 ? Phone : Browser, zone.Url, item.ItemRateBp, item.ShopRateBp,
                Uuid($"cpc-impression:{campaign.Id}:{day.DayNumber}:{n}"), price));
        }
        result.Sort((a, b) => a.OccurredAt.CompareTo(b.OccurredAt));
        return result;
    }

    private static async Task<long> PayOutAsync(IServiceProvider sp, AllianceDbContext db, LedgerWriter ledger, MovedClock demoClock, Facts facts,
        DateTimeOffset dayStart, long adminUserId, CancellationToken ct)
    {
        var audit = ActivatorUtilities.CreateInstance<AuditTrail>(sp, demoClock);
        var payouts = ActivatorUtilities.CreateInstance<PayoutService>(sp, ledger, audit, demoClock);
        var threshold = sp.GetRequiredService<IOptionsSnapshot<AllianceOptions>>().Value.PayoutThresholdFen;
        foreach (var webmasterId in facts.WebmasterIds)
        {
            demoClock.Set(dayStart.AddHours(2)); // 10:00 in China
            var available = await ledger.BalanceAsync(AccountRef.Available(webmasterId), ct);
            var amount = available.Fen * 8 / 10 / 10_000 * 10_000; // most of it, in whole hundreds of yuan
            if (amount < threshold) continue;
            await EnsurePayoutMethodAsync(sp, db, webmasterId, demoClock, ct);
            var requested = await payouts.RequestAsync(webmasterId, new Money(amount), ct);
            if (!requested.Succeeded) continue;
            demoClock.Set(dayStart.AddHours(7));
            var approved = await payouts.ApproveAsync(requested.Request!.Id, adminUserId, ct);
            if (!approved.Succeeded) throw new InvalidOperationException($"Demo payout {requested.Request.Id} refused: {approved.Refusal}");
            demoClock.Set(dayStart.AddDays(1).AddHours(3));
            var paid = await payouts.MarkPaidAsync(requested.Request.Id, adminUserId, "DEMO-" + requested.Request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            if (!paid.Succeeded) throw new InvalidOperationException($"Demo payout {requested.Request.Id} not marked paid: {paid.Refusal}");
            db.ChangeTracker.Clear();
            return amount;
        }
        return 0;
    }

    /// <summary>A payout needs a payout method: the demo webmaster's is a made-up Alipay mobile number, kept encrypted as any other.</summary>
    private static async Task EnsurePayoutMethodAsync(IServiceProvider sp, AllianceDbContext db, long webmasterId, MovedClock demoClock, CancellationToken ct)
    {
        if (await db.PayoutMethods.AnyAsync(m => m.WebmasterId == webmasterId, ct)) return;
        const string account = "13800138000";
        var protector = Payouts.PayoutAccounts.Protector(sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
        db.PayoutMethods.Add(new Data.Payouts.PayoutMethod
        {
            WebmasterId = webmasterId, Kind = Data.Payouts.PayoutMethodKind.Alipay, HolderName = "Demo Webmaster",
            ProtectedAccount = Payouts.PayoutAccounts.Protect(protector, account),
            MaskedAccount = Payouts.PayoutAccounts.Mask(Data.Payouts.PayoutMethodKind.Alipay, account), UpdatedAt = demoClock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A stable number in [0, 2^31) from a seed and parts: every choice of the history is one.</summary>
    internal static int Hash(params object[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("demo-history:" + string.Join(':', parts)));
        return BitConverter.ToInt32(bytes, 0) & int.MaxValue;
    }

    private static Guid Uuid(string seed) => new(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16));

    /// <summary>A UUIDv7 (time first, as the click path makes them, so the click's partition is found from its id) with hashed bits.</summary>
    private static Guid DeterministicV7(DateTimeOffset at, string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var ms = at.ToUnixTimeMilliseconds();
        var hex = new StringBuilder(32)
            .Append(ms.ToString("x12", System.Globalization.CultureInfo.InvariantCulture))
            .Append('7').Append(Convert.ToHexStringLower(hash, 0, 2)[..3])
            .Append('8').Append(Convert.ToHexStringLower(hash, 2, 8)[..15]);
        return Guid.ParseExact(hex.ToString(), "N");
    }

    private sealed record WinningClick(Guid Id, DateTimeOffset OccurredAt, Guid VisitorId, long ItemId, long ShopId);

    /// <summary>The demo world the history happens in, read once.</summary>
    private sealed record Facts(
        IReadOnlyList<long> Links,
        IReadOnlyList<long> SellerIds,
        IReadOnlyList<long> WebmasterIds,
        IReadOnlyList<Facts.ZoneFact> SmartZones,
        IReadOnlyList<Facts.CampaignFact> Campaigns,
        IReadOnlyDictionary<long, Facts.ItemFact> Items,
        IReadOnlyDictionary<long, IReadOnlyList<long>> ShopItems,
        long? AdminUserId)
    {
        public sealed record ZoneFact(long ZoneId, long SiteId, long WebmasterId, string Url);
        public sealed record ItemFact(long ItemId, long ShopId, long PriceFen, int ItemRateBp, int ShopRateBp);
        public sealed record CampaignFact(long Id, long BidFen, IReadOnlyList<ItemFact> Items);

        public static async Task<Facts> LoadAsync(AllianceDbContext db, CancellationToken ct)
        {
            var links = await db.Links.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync(ct);
            var sellers = await db.Sellers.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
            var webmasters = await db.Webmasters.OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(ct);
            var zones = await db.AdZones.Where(z => z.IsSmart && z.Site.State == SiteState.Approved).OrderBy(z => z.Id)
                .Select(z => new ZoneFact(z.Id, z.SiteId, z.Site.WebmasterId, z.Site.Url)).ToListAsync(ct);
            var items = await db.Items.Where(i => i.IsOnSale).OrderBy(i => i.Id)
                .Select(i => new ItemFact(i.Id, i.ShopId, i.PriceFen, i.CommissionRateBp ?? 0, i.Shop.GeneralRateBp)).ToListAsync(ct);
            var byId = items.ToDictionary(i => i.ItemId);
            var campaigns = await db.Campaigns.Where(c => c.State == CampaignState.Active).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.BidFen, Items = c.Items.Select(i => i.ItemId).ToList() }).ToListAsync(ct);
            var admin = await db.UserRoles.Where(r => db.Roles.Any(x => x.Id == r.RoleId && x.Name == Roles.Admin))
                .OrderBy(r => r.UserId).Select(r => (long?)r.UserId).FirstOrDefaultAsync(ct);
            return new(links, sellers, webmasters, zones,
                campaigns.Select(c => new CampaignFact(c.Id, c.BidFen, c.Items.Where(byId.ContainsKey).Select(i => byId[i]).ToList())).ToList(),
                byId, items.GroupBy(i => i.ShopId).ToDictionary(g => g.Key, g => (IReadOnlyList<long>)g.Select(i => i.ItemId).ToList()),
                admin);
        }
    }

    /// <summary>
    /// The order events of the history, scheduled as they happen: a paid event shortly after its winning click; most orders
    /// confirmed by the buyer a few days later (the rest auto-confirm in the order life); one in fifteen refunded in full
    /// before it settles (a reversal), one in twenty-five refunded in part after it settled (a clawback); and returning
    /// buyers ordering again without a click (repeat revenue for the cohorts, no commission).
    /// </summary>
    private sealed class OrderPlan(Facts facts)
    {
        private readonly List<OrderEventCommand> pending = [];
        private readonly List<(long ShopId, string BuyerRef)> buyers = [];
        private readonly Dictionary<string, IReadOnlyList<OrderEventLine>> paidLines = [];

        public void AddDay(DateOnly day, DateTimeOffset dayStart, DateTimeOffset dayEnd, IReadOnlyList<WinningClick> winners)
        {
            var n = 0;
            foreach (var click in winners)
            {
                var id = $"demo-{day:yyyyMMdd}-{n++}";
                var at = Min(click.OccurredAt.AddMinutes(2 + Hash("paid-at", id) % 180), dayEnd);
                if (at <= click.OccurredAt) continue;
                var lines = new List<OrderEventLine> { Line(click.ItemId, id, 0) };
                if (Hash("second-line", id) % 4 == 0 && facts.ShopItems.TryGetValue(click.ShopId, out var shopItems))
                {
                    var other = shopItems[Hash("other-item", id) % shopItems.Count];
                    if (other != click.ItemId) lines.Add(Line(other, id, 1));
                }
                var buyer = $"demo-buyer-{Hash("buyer", id) % BuyerPool}";
                pending.Add(new(click.ShopId, id, OrderEventCommand.Paid, at, buyer, lines, OrderSource.OrdersApi,
                    VisitorId: click.VisitorId, ClickId: click.Id));
            }
            // A returning buyer now and then: no click, so no commission; it is the cohorts' repeat revenue.
            if (buyers.Count > 0 && Hash("returning", day.DayNumber) % 3 != 0)
            {
                var (shopId, buyer) = buyers[Hash("returning-buyer", day.DayNumber) % buyers.Count];
                var items = facts.ShopItems[shopId];
                var id = $"demo-{day:yyyyMMdd}-r";
                var at = dayStart.AddHours(4 + Hash("returning-at", id) % 12);
                if (at < dayEnd) pending.Add(new(shopId, id, OrderEventCommand.Paid, at, buyer, [Line(items[Hash("returning-item", id) % items.Count], id, 0)], OrderSource.OrdersApi));
            }
        }

        private OrderEventLine Line(long itemId, string id, int n)
        {
            var quantity = 1 + Hash("quantity", id, n) % 2;
            return new(itemId, quantity, facts.Items[itemId].PriceFen * quantity);
        }

        /// <summary>The events due by <paramref name="until"/>, in time order, taken off the plan.</summary>
        public List<OrderEventCommand> Due(DateTimeOffset until)
        {
            var due = pending.Where(e => e.OccurredAt <= until).OrderBy(e => e.OccurredAt).ThenBy(e => e.ExternalOrderId, StringComparer.Ordinal).ToList();
            pending.RemoveAll(e => e.OccurredAt <= until);
            return due;
        }

        /// <summary>Schedules what follows a paid event.</summary>
        public void Applied(OrderEventCommand command, OrderEventResult result)
        {
            if (command.Event != OrderEventCommand.Paid) return;
            buyers.Add((command.ShopId, command.BuyerRef));
            paidLines[command.ExternalOrderId] = command.Lines;
            var id = command.ExternalOrderId;
            var roll = Hash("fate", id) % 100;
            if (roll < 7)
            {
                pending.Add(command with { Event = OrderEventCommand.Refunded, OccurredAt = command.OccurredAt.AddDays(1).AddHours(Hash("refund-at", id) % 20),
                    VisitorId = null, ClickId = null });
                return;
            }
            if (roll < 75)
            {
                pending.Add(command with { Event = OrderEventCommand.Confirmed, OccurredAt = command.OccurredAt.AddDays(2 + Hash("confirm-at", id) % 5),
                    Lines = [], VisitorId = null, ClickId = null });
            }
            if (roll >= 96 && result.AttributedClickId is not null)
            {
                // After the auto-confirmation (10 days) and the hold (7 days): a clawback of half the first line.
                var line = command.Lines[0];
                pending.Add(command with { Event = OrderEventCommand.Refunded, OccurredAt = command.OccurredAt.AddDays(20),
                    Lines = [new(line.ItemId, 1, line.PaidFen / line.Quantity / 2)], VisitorId = null, ClickId = null });
            }
        }

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    }

    /// <summary>The clock the history's use cases see: moved forward event by event through the past.</summary>
    private sealed class MovedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public void Set(DateTimeOffset at) => now = at;

        public override DateTimeOffset GetUtcNow() => now;
    }
}
