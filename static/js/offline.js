// Offline use, on every page: registers the service worker (/sw.js, templates/pwa/sw.js), keeps
// routines on this device for the offline player ("Keep available offline" on a routine page,
// and each routine played), sends the logs of sessions played offline once the network is back,
// and clears everything kept on this device when the person logs out.
//
// Everything is per account: the page names the account by an opaque id (<meta name="unknot-
// account">, config/pwa.py), remembered in localStorage for the offline pages (which are the same
// for everyone); the routines and waiting logs live in the IndexedDB database "unknot-<id>".
// Without a service worker or IndexedDB this file does nothing, and every page works as before.
//
// window.UnknotOffline is what static/js/offline-player.js uses.
(function () {
  "use strict";

  const script = document.currentScript;
  const ACCOUNT_KEY = "unknot-account";
  const RECENT_KEPT = 3; // routines played recently stay on the device, besides those kept on purpose
  const supported = "indexedDB" in window && "caches" in window && "serviceWorker" in navigator;

  function accountFromPage() {
    const meta = document.querySelector('meta[name="unknot-account"]');
    return meta ? meta.content : "";
  }

  // The offline pages are the same for everyone: they read the account from the last page seen.
  function account() {
    const here = accountFromPage();
    if (here) {
      try {
        localStorage.setItem(ACCOUNT_KEY, here);
      } catch (error) {
        /* private mode: the offline pages will not know the account */
      }
      return here;
    }
    try {
      return localStorage.getItem(ACCOUNT_KEY) || "";
    } catch (error) {
      return "";
    }
  }

  function request(idbRequest) {
    return new Promise(function (resolve, reject) {
      idbRequest.onsuccess = function () {
        resolve(idbRequest.result);
      };
      idbRequest.onerror = function () {
        reject(idbRequest.error);
      };
    });
  }

  let opened = null;
  function db() {
    const id = account();
    if (!supported || !id) return Promise.reject(new Error("Nothing is kept on this device."));
    if (!opened) {
      const open = indexedDB.open("unknot-" + id, 1);
      open.onupgradeneeded = function () {
        const database = open.result;
        database.createObjectStore("routines", { keyPath: "id" }); // the offline player's data
        database.createObjectStore("runs", { keyPath: "routine" }); // a run under way, offline
        database.createObjectStore("outbox", { keyPath: "token" }); // logs waiting to be sent
      };
      opened = request(open);
    }
    return opened;
  }

  function store(name, mode, work) {
    return db().then(function (database) {
      const transaction = database.transaction(name, mode);
      const result = work(transaction.objectStore(name));
      return new Promise(function (resolve, reject) {
        transaction.oncomplete = function () {
          resolve(result instanceof IDBRequest ? result.result : result);
        };
        transaction.onerror = function () {
          reject(transaction.error);
        };
      });
    });
  }

  const api = {
    supported: supported,
    account: account,
    get: function (name, key) {
      return store(name, "readonly", function (objects) {
        return objects.get(key);
      });
    },
    all: function (name) {
      return store(name, "readonly", function (objects) {
        return objects.getAll();
      });
    },
    put: function (name, value) {
      return store(name, "readwrite", function (objects) {
        return objects.put(value);
      });
    },
    remove: function (name, key) {
      return store(name, "readwrite", function (objects) {
        return objects.delete(key);
      });
    },
  };

  // --- Keeping routines on the device ------------------------------------------------------

  function fetchPack(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        const type = response.headers.get("Content-Type") || "";
        if (!response.ok || !type.startsWith("application/json")) throw new Error("Not saved");
        return response.json();
      }
    );
  }

  // Save a routine's data; `kept` when the person chose it, else it is one of the recent ones.
  function keepRoutine(url, kept) {
    return fetchPack(url).then(function (pack) {
      return api.get("routines", pack.routine.id).then(function (before) {
        const record = {
          id: pack.routine.id,
          pack: pack,
          kept: kept || Boolean(before && before.kept),
          savedAt: Date.now(),
        };
        return api.put("routines", record).then(function () {
          return forgetOldRecent().then(function () {
            return record;
          });
        });
      });
    });
  }

  function forgetOldRecent() {
    return api.all("routines").then(function (records) {
      const recent = records
        .filter(function (record) {
          return !record.kept;
        })
        .sort(function (a, b) {
          return b.savedAt - a.savedAt;
        });
      return Promise.all(
        recent.slice(RECENT_KEPT).map(function (record) {
          return api.remove("routines", record.id);
        })
      );
    });
  }
  api.keepRoutine = keepRoutine;

  function showKeepButton(section) {
    const button = section.querySelector("[data-keep-offline-button]");
    const state = section.querySelector("[data-keep-offline-state]");
    const id = Number(section.dataset.routine);
    function show(record) {
      const kept = Boolean(record && record.kept);
      button.setAttribute("aria-pressed", String(kept));
      button.textContent = kept ? "Remove from this device" : "Keep available offline";
      if (kept) {
        state.textContent =
          "Saved on this device: you can play it with no network, and your log is sent when you’re back online.";
      }
    }
    api.get("routines", id).then(show, function () {});
    button.addEventListener("click", function () {
      button.disabled = true;
      const pressed = button.getAttribute("aria-pressed") === "true";
      const done = pressed
        ? api.remove("routines", id).then(function () {
            state.textContent = "Removed from this device.";
            return null;
          })
        : keepRoutine(section.dataset.packUrl, true);
      done
        .then(show, function () {
          state.textContent = "We couldn’t save it on this device. Check your connection and try again.";
        })
        .then(function () {
          button.disabled = false;
        });
    });
    section.hidden = false;
  }

  // --- Sending the logs of sessions played offline ------------------------------------------

  const status = document.getElementById("sync-status");
  // A request that never answers (a dead connection the browser still counts as online) is given
  // up after this long, so the round ends, says so, and a later sync can run.
  const SEND_TIMEOUT = 30000;
  const TRY_AGAIN = "we couldn’t send them; we’ll try again";
  let syncing = null;
  let lastSynced = null; // the session page of the log sent last, for "Synced"

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const headers = document.body.getAttribute("hx-headers");
    try {
      return JSON.parse(headers)["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function sessions(n) {
    return n + (n === 1 ? " session" : " sessions");
  }

  // "Mon 23 Nov, 08:10": when a kept log's session started (or, failing that, was kept).
  function when(log) {
    let date = new Date(log.body && log.body.started_at);
    if (isNaN(date)) date = new Date(log.savedAt);
    if (isNaN(date)) return "";
    // As the site writes days: "Mon 23 Nov".
    return date.toLocaleString("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function logName(log) {
    const day = when(log);
    return "“" + (log.title || "A routine") + "”" + (day ? ", " + day : "");
  }

  // The refused logs, each with the server's reason and a Discard button. Outside the live
  // region (a screen reader would read the whole list again at every sync), and rebuilt only when
  // what it lists changes, so a focused button is not taken away. Nothing the person recorded
  // disappears without their say.
  const refusedBox = document.getElementById("sync-refused");
  let discarded = false; // to say so, and to move the focus on, once the list is redrawn

  function showRefused(refused) {
    if (!refusedBox) return;
    const listed = refused
      .map(function (log) {
        return log.token + " " + log.refused;
      })
      .join("\n");
    if (refusedBox.dataset.listed === listed) return;
    refusedBox.dataset.listed = listed;
    refusedBox.textContent = "";
    refusedBox.hidden = !refused.length;
    if (!refused.length) return;
    const intro = document.createElement("p");
    intro.textContent =
      refused.length === 1
        ? "We couldn’t save this session to your account. It stays on this device until you discard it."
        : "We couldn’t save these sessions to your account. They stay on this device until you discard them.";
    const list = document.createElement("ul");
    refused.forEach(function (log) {
      const name = logName(log);
      const item = document.createElement("li");
      item.append(name + ". " + log.refused + " ");
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary";
      discard.textContent = "Discard";
      discard.setAttribute("aria-label", "Discard " + name);
      discard.addEventListener("click", function () {
        const question = "Discard " + name + "? It is deleted from this device and cannot be saved later.";
        if (!window.confirm(question)) return;
        api.remove("outbox", log.token).then(
          function () {
            discarded = true;
            return refreshStatus();
          },
          function () {
            window.alert("We couldn’t discard it. Please try again.");
          }
        );
      });
      item.append(discard);
      list.append(item);
    });
    refusedBox.append(intro, list);
  }

  function showStatus(outbox, problem) {
    if (!status) return;
    const waiting = outbox.filter(function (log) {
      return !log.refused;
    });
    const refused = outbox.filter(function (log) {
      return log.refused;
    });
    status.textContent = "";
    status.className = "sync-status";
    if (waiting.length) {
      status.className = "sync-status waiting";
      status.append(sessions(waiting.length) + " waiting to sync");
      if (problem) status.append(": " + problem);
    } else if (!navigator.onLine && !document.querySelector("[data-offline-shell]")) {
      // A kept copy of a page (the offline pages say what they are themselves).
      status.append("You’re offline. Pages show what they showed when you last opened them.");
    } else if (lastSynced) {
      status.className = "sync-status synced";
      status.append("Synced. ");
      const link = document.createElement("a");
      link.href = lastSynced;
      link.textContent = "See the session";
      status.append(link);
    }
    showRefused(refused);
    if (discarded) {
      discarded = false;
      status.append((status.textContent ? " " : "") + "Discarded.");
      const next = refusedBox && refusedBox.querySelector("button");
      (next || document.getElementById("main")).focus();
    }
  }

  function refreshStatus(problem) {
    return api.all("outbox").then(
      function (waiting) {
        showStatus(waiting, problem);
        return waiting;
      },
      function () {
        return [];
      }
    );
  }

  // Rejects with an AbortError once SEND_TIMEOUT has passed with no answer.
  function send(log) {
    const controller = new AbortController();
    const timer = window.setTimeout(function () {
      controller.abort();
    }, SEND_TIMEOUT);
    return fetch(log.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(log.body),
      redirect: "manual",
      signal: controller.signal,
    }).finally(function () {
      window.clearTimeout(timer);
    });
  }

  // Why the server will not take a log, from its answer: the form's first error, in its words.
  function refusal(response) {
    return response.json().then(
      function (answer) {
        const errors = Object.values((answer && answer.errors) || {}).flat();
        return errors[0] || "The server could not read it.";
      },
      function () {
        return response.status === 404 ? "Its routine is no longer in your account." : "The server could not read it.";
      }
    );
  }

  // The log's reason, written in one transaction with reading it: a log discarded meanwhile
  // (the Discard button, during this sync) stays discarded.
  function markRefused(token, reason) {
    return store("outbox", "readwrite", function (objects) {
      const kept = objects.get(token);
      kept.onsuccess = function () {
        if (!kept.result) return;
        kept.result.refused = reason;
        objects.put(kept.result);
      };
    });
  }

  // Send every waiting log, one at a time. A log is deleted only once the server answered that it
  // is saved; the run's token makes a repeat (an answer lost on the way back) record nothing new.
  // A log the server refuses (its routine deleted, a run over 30 days old) is marked with the
  // reason and kept for the person to discard; it is offered again at each sync, in case what
  // stopped it has changed, and never holds back the others.
  function sync() {
    if (syncing) return syncing;
    if (!navigator.onLine) return refreshStatus();
    syncing = api
      .all("outbox")
      .then(function (waiting) {
        let problem = ""; // stops the round: the others would fail the same way
        return waiting
          .reduce(function (previous, log) {
            return previous.then(function () {
              if (problem) return null;
              return send(log).then(
                function (response) {
                  if (response.ok) {
                    return response.json().then(function (saved) {
                      lastSynced = saved.session_url;
                      return api.remove("outbox", log.token);
                    });
                  }
                  if (response.type === "opaqueredirect" || response.status === 403) {
                    problem = "log in to send them";
                  } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
                    return refusal(response).then(function (reason) {
                      return markRefused(log.token, reason);
                    });
                  } else {
                    problem = TRY_AGAIN;
                  }
                  return null;
                },
                function (error) {
                  // No answer in time is the server's or the connection's trouble, not being offline.
                  problem =
                    error.name === "AbortError" ? TRY_AGAIN : "you’re offline; we’ll send them when you’re back";
                }
              );
            });
          }, Promise.resolve())
          .then(function () {
            return refreshStatus(problem);
          });
      })
      .catch(function () {
        // Anything else (an answer saying saved whose body we cannot read, the device's storage
        // failing): the logs stay, and the person is told they are not sent yet.
        return refreshStatus(TRY_AGAIN);
      })
      .then(function (waiting) {
        syncing = null;
        return waiting;
      });
    return syncing;
  }
  api.sync = sync;
  api.refreshStatus = refreshStatus;

  // A finished or stopped run, kept until it is sent (offline-player.js).
  api.queue = function (log) {
    return api.put("outbox", log).then(function () {
      return refreshStatus();
    });
  };

  // --- Logging out clears the device ---------------------------------------------------------

  function clearDevice(id) {
    if (opened) {
      opened.then(function (database) {
        database.close();
      });
      opened = null;
    }
    const work = [
      caches.keys().then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.startsWith("unknot-pages-") || name === "unknot-meta";
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      }),
      new Promise(function (resolve) {
        const deletion = indexedDB.deleteDatabase("unknot-" + id);
        deletion.onsuccess = deletion.onerror = deletion.onblocked = function () {
          resolve();
        };
      }),
    ];
    try {
      localStorage.removeItem(ACCOUNT_KEY);
    } catch (error) {
      /* nothing kept */
    }
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: "logout" });
    return Promise.all(work);
  }
  api.clearDevice = clearDevice;

  function onLogout(event) {
    const form = event.target;
    const id = account();
    if (!id || form.dataset.cleared) return;
    event.preventDefault();
    const timeout = new Promise(function (resolve) {
      window.setTimeout(resolve, 5000);
    });
    Promise.race([sync(), timeout])
      .then(function () {
        return api.all("outbox").catch(function () {
          return [];
        });
      })
      .then(function (waiting) {
        if (
          waiting.length &&
          !window.confirm(
            sessions(waiting.length) +
              " played offline could not be sent yet. Logging out deletes them from this device. Log out anyway?"
          )
        ) {
          return false;
        }
        return clearDevice(id).then(function () {
          return true;
        });
      })
      .then(function (logOut) {
        if (!logOut) return;
        form.dataset.cleared = "true";
        form.submit();
      });
  }

  // --- Start ---------------------------------------------------------------------------------

  if (!supported) return;
  window.UnknotOffline = api;

  if (script && script.dataset.serviceWorker) {
    navigator.serviceWorker.register(script.dataset.serviceWorker).catch(function () {
      /* no worker: the pages still work online */
    });
  }

  const logoutUrl = script ? script.dataset.logout : "";
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.matches("form[data-logout]") || (logoutUrl && form.getAttribute("action") === logoutUrl)) {
      onLogout(event);
    }
  });

  if (!account()) return;

  document.querySelectorAll("[data-keep-offline]").forEach(showKeepButton);
  document.querySelectorAll("[data-clear-device]").forEach(function (section) {
    const button = section.querySelector("button");
    const state = section.querySelector("[data-clear-device-state]");
    section.hidden = false;
    button.addEventListener("click", function () {
      api.all("outbox").then(function (waiting) {
        if (
          waiting.length &&
          !window.confirm(sessions(waiting.length) + " played offline could not be sent yet. Delete them too?")
        ) {
          return;
        }
        clearDevice(account()).then(function () {
          state.textContent = "Removed. Pages you open from now on are kept again, for offline use.";
          refreshStatus();
        });
      });
    });
  });
  document.querySelectorAll("[data-offline-recent]").forEach(function (marker) {
    keepRoutine(marker.dataset.packUrl, false).catch(function () {});
  });

  // The offline page lists the routines this device keeps.
  const list = document.getElementById("offline-routines");
  if (list) {
    api.all("routines").then(function (records) {
      records.sort(function (a, b) {
        return a.pack.routine.title.localeCompare(b.pack.routine.title);
      });
      records.forEach(function (record) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = record.pack.routine.play_url;
        link.textContent = "Play " + record.pack.routine.title;
        item.append(link);
        list.append(item);
      });
      document.getElementById("offline-routines-empty").hidden = records.length > 0;
    });
  }

  window.addEventListener("online", sync);
  window.addEventListener("offline", function () {
    refreshStatus();
  });
  sync();
})();
