using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>An item a campaign may show, with what the ad prints.</summary>
public sealed record AdItem(long Id, string TitleZh, string TitleEn, string ShopNameZh, string ShopNameEn, long PriceFen, string ImageUrl);

/// <summary>An active campaign as the auction reads it: what changes only when its seller edits it.</summary>
public sealed record AdCampaign(long Id, long BidFen, long DailyBudgetFen, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, AdItem[] Items);

/// <summary>What changes as a campaign runs: today's spend and budget (null before its first click today), its counters, its seller's wallet.</summary>
public sealed record AdCampaignState(long SpentTodayFen, long? BudgetTodayFen, long Impressions, long Clicks, long WalletFen);

/// <summary>The active campaigns with a listed item, by the site category they target.</summary>
public sealed record AdBook(IReadOnlyDictionary<int, AdCampaign[]> ByCategory)
{
    public static readonly AdBook Empty = new(new Dictionary<int, AdCampaign[]>());
}

/// <summary>
/// The auction's memory, so serving an ad reads nothing from PostgreSQL. Two parts that change at different speeds:
/// <list type="bullet">
/// <item>The <b>book</b> (campaigns, their items and categories) changes when a seller edits something: read once and
/// kept until dropped — by <see cref="AdCampaignsListener"/> on every <see cref="AdCampaignTriggers.Channel"/>
/// notification (any node's change) and by <see cref="AdCampaignsInvalidation"/> right after this node's own.</item>
/// <item>The <b>state</b> (spend, budget, counters, wallet) changes with every paid click: read in one query for all
/// campaigns, again once it is older than <see cref="CpcOptions.AdStateRefreshMilliseconds"/> (in the background, while the
/// old one still answers), and at once after this node charged, deposited or otherwise moved money (<see cref="DropState"/>).</item>
/// </list>
/// So the state another node changed is at most a refresh old here. That is enough: the state only decides which campaigns
/// may compete; each charge is decided again, exactly, under the campaign's lock (<see cref="CpcClicks"/>), and a wallet is
/// read from its kept balance (O(1), however long its history).
/// </summary>
public sealed class AdCampaigns(IServiceScopeFactory scopes, IOptions<CpcOptions> options, TimeProvider clock)
{
    private readonly Lock gate = new();
    private Task<AdBook>? book;
    private State? state;
    private Task<State>? refreshing;

    private sealed record State(IReadOnlyDictionary<long, AdCampaignState> Campaigns, long ReadAtTimestamp, bool Dropped = false);

    /// <summary>The book, read on first use and after each drop; concurrent callers share one read.</summary>
    public ValueTask<AdBook> BookAsync()
    {
        var kept = book;
        if (kept is { IsCompletedSuccessfully: true }) return ValueTask.FromResult(kept.Result);
        lock (gate)
        {
            if (book is null || book.IsFaulted || book.IsCanceled) book = LoadBookAsync();
            return new ValueTask<AdBook>(book);
        }
    }

    /// <summary>
    /// The state of every active campaign: kept, refreshed in the background when old, read now when dropped. While
    /// PostgreSQL is away the last state read still answers (no charge can be made then anyway).
    /// </summary>
    public ValueTask<IReadOnlyDictionary<long, AdCampaignState>> StateAsync()
    {
        var kept = state;
        if (kept is { Dropped: false })
        {
            if (clock.GetElapsedTime(kept.ReadAtTimestamp).TotalMilliseconds >= options.Value.AdStateRefreshMilliseconds) Refresh();
            return ValueTask.FromResult(kept.Campaigns);
        }
        return new ValueTask<IReadOnlyDictionary<long, AdCampaignState>>(AwaitRefreshAsync());

        async Task<IReadOnlyDictionary<long, AdCampaignState>> AwaitRefreshAsync()
        {
            try
            {
                return (await Refresh()).Campaigns;
            }
            catch (Exception e) when (kept is not null && (e is NpgsqlException || e.InnerException is NpgsqlException))
            {
                return kept.Campaigns;
            }
        }
    }

    /// <summary>
    /// The payload of the last notification heard. Notifications arrive in commit order, so once a NOTIFY with a
    /// payload of one's own is heard, every change committed before it is in force (tests wait on this).
    /// </summary>
    public string? LastHeard { get; private set; }

    /// <summary>A notification arrived: drop the book, and remember what it said.</summary>
    public void Heard(string payload)
    {
        DropBook();
        LastHeard = payload;
    }

    /// <summary>A campaign, item, category or shop changed: read the book again on next use.</summary>
    public void DropBook()
    {
        // A read already under way answers those who wait on it, but is not kept: it may be from before the change.
        lock (gate) book = null;
    }

    /// <summary>Money or counters moved on this node: the next ad waits for a fresh state.</summary>
    public void DropState()
    {
        lock (gate)
        {
            if (state is not null) state = state with { Dropped = true };
            // A read that started before the change may not see it: it must not become the kept state.
            refreshing = null;
        }
    }

    /// <summary>The counters moved (written impressions): read the state again soon, without making an ad wait.</summary>
    public void StateAged()
    {
        lock (gate)
        {
            if (state is not null) state = state with { ReadAtTimestamp = 0 };
        }
    }

    private Task<State> Refresh()
    {
        lock (gate)
        {
            if (refreshing is { IsCompleted: false }) return refreshing;
            var started = refreshing = ReadStateAsync();
            _ = started.ContinueWith(t =>
            {
                _ = t.Exception; // observed: a failed background read only means the kept state answers a while longer
                lock (gate)
                {
                    if (ReferenceEquals(refreshing, started) && t.IsCompletedSuccessfully) state = t.Result;
                }
            }, TaskScheduler.Default);
            return started;
        }
    }

    private async Task<AdBook> LoadBookAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AllianceDbContext>();
        var now = clock.GetUtcNow();
        var campaigns = await db.Campaigns.AsNoTracking()
            .Where(c => c.State == CampaignState.Active && (c.EndsAt == null || c.EndsAt > now))
            .Select(c => new { c.Id, c.BidFen, c.DailyBudgetFen, c.StartsAt, c.EndsAt })
            .ToListAsync();
        var ids = campaigns.Select(c => c.Id).ToList();
        var categories = await db.Set<CampaignCategory>().AsNoTracking().Where(cc => ids.Contains(cc.CampaignId))
            .Select(cc => new { cc.CampaignId, cc.CategoryId }).ToListAsync();
        var items = (await db.CampaignItems.AsNoTracking().Where(ci => ids.Contains(ci.CampaignId))
                .Join(db.Items.Where(i => i.IsOnSale), ci => ci.ItemId, i => i.Id, (ci, i) => new
                {
                    ci.CampaignId,
                    Item = new AdItem(i.Id, i.TitleZh, i.TitleEn, i.Shop.NameZh, i.Shop.NameEn, i.PriceFen, i.ImageUrl),
                })
                .ToListAsync())
            .ToLookup(x => x.CampaignId, x => x.Item);

        var byId = campaigns.Where(c => items[c.Id].Any())
            .ToDictionary(c => c.Id, c => new AdCampaign(c.Id, c.BidFen, c.DailyBudgetFen, c.StartsAt, c.EndsAt, [.. items[c.Id].OrderBy(i => i.Id)]));
        return new AdBook(categories.Where(cc => byId.ContainsKey(cc.CampaignId))
            .GroupBy(cc => cc.CategoryId)
            .ToDictionary(g => g.Key, g => g.Select(cc => byId[cc.CampaignId]).ToArray()));
    }

    private async Task<State> ReadStateAsync()
    {
        var readAt = clock.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AllianceDbContext>();
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(clock);
        var rows = await db.Campaigns.AsNoTracking()
            .Where(c => c.State == CampaignState.Active && (c.EndsAt == null || c.EndsAt > now))
            .Select(c => new
            {
                c.Id, c.Impressions, c.Clicks,
                Today = db.CampaignDailySpends.Where(s => s.CampaignId == c.Id && s.Day == today)
                    .Select(s => new { s.SpentFen, s.BudgetFen }).FirstOrDefault(),
                // The wallet's kept balance: one row, however many lines the wallet has.
                WalletFen = db.LedgerAccounts.Where(a => a.Kind == AccountKind.SellerWallet && a.SellerId == c.Shop.SellerId)
                    .Select(a => a.BalanceFen).FirstOrDefault() ?? 0,
            })
            .ToListAsync();
        return new State(rows.ToDictionary(r => r.Id,
            r => new AdCampaignState(r.Today?.SpentFen ?? 0, r.Today?.BudgetFen, r.Impressions, r.Clicks, r.WalletFen)), readAt);
    }
}
